/** The shapes of the HTTP API (CONTRACT.md) the console reads. */

export type StaffRole = 'reviewer' | 'supervisor' | 'administrator'

export interface TokenResponse {
  accessToken: string
  expiresIn: number
}

export interface CurrentStaff {
  username: string
  role: StaffRole
  office: string | null
  city: string | null
}

export type ReviewStage = 'first-review' | 'final-review'

export interface QueueEntry {
  applicationId: string
  caseNumber: string
  status: string
  receivedAt: string
  dueAt: string | null
  overdue: boolean
}

export interface Finding {
  code: string
  message: string
}

export interface HistoryEntry {
  at: string
  type: string
  actor: string
  office: string | null
  opinion: string | null
}

export interface Application {
  applicationId: string
  caseNumber: string
  serviceItem: string
  status: string
  channel: string
  acceptingOffice: string | null
  insuringCity: string | null
  assignedOffice: string | null
  receivedAt: string
  dueAt: string | null
  applicant: { idNumber: string; name: string; mobile: string; documentKind: string }
  verification: { passed: boolean; findings: Finding[] } | null
  entitlement: { months: number; monthlyAmount: number; startMonth: string; endMonth: string; continuedMonths: number } | null
  history: HistoryEntry[]
}

export interface Notification {
  template: string
  to: string
  body: string
  status: string
  createdAt: string
  sentAt: string | null
}

export interface City {
  code: string
  name: string
  offices: { code: string; name: string; reviewers: number }[]
}

/** RFC 9457 problem details, with the field errors validation adds. */
export interface Problem {
  title?: string
  status?: number
  detail?: string
  errors?: Record<string, string[]>
}

export interface Spell {
  cityCode: string
  employerCode: string
  employerName: string
  startMonth: string
  endMonth: string | null
  separationReason: string | null
}

/** An applicant's full personal data, from the audited POST /applications/{id}/reveal. */
export interface RevealedApplicant {
  idNumber: string
  name: string
  mobile: string
}

/** An application found by POST /applications/lookup (staff): personal data masked, amounts in yuan. */
export interface LookupEntry {
  applicationId: string
  caseNumber: string
  serviceItem: string
  status: string
  insuringCity: string | null
  assignedOffice: string | null
  receivedAt: string
  applicant: { idNumber: string; name: string }
  entitlement: { months: number; monthlyAmount: number; startMonth: string; endMonth: string } | null
}

/** GET /supervision/overview (city supervisor): each office's open work, and the open cases, overdue first. */
export interface CityOverview {
  cityCode: string
  cityName: string
  day: string
  offices: OfficeWork[]
  cases: OpenCase[]
}

export interface OfficeWork {
  code: string
  name: string
  /** In the province file. */
  reviewers: number
  /** Today, as the supervisor set it; null when not set. */
  onDuty: number | null
  firstReview: number
  finalReview: number
  overdue: number
}

export interface OpenCase {
  applicationId: string
  caseNumber: string
  status: string
  assignedOffice: string
  assignedReviewer: string | null
  receivedAt: string
  dueAt: string | null
  overdue: boolean
}

/** GET|PUT /supervision/staffing: reviewers on duty per office on a day. */
export interface CityStaffing {
  cityCode: string
  date: string
  offices: OfficeStaffing[]
}

export interface OfficeStaffing {
  code: string
  name: string
  reviewers: number
  onDuty: number | null
  setBy: string | null
  setAt: string | null
}

/** GET /supervision/rechecks: an application a registry change re-opened (二次审核). */
export interface RecheckedCase {
  applicationId: string
  caseNumber: string
  status: string
  assignedOffice: string | null
  receivedAt: string
  recheckedAt: string
  dueAt: string | null
  overdue: boolean
}
