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
  /**
   * For staff, while the case waits for first or final review: whether they may decide it, the refusal code a decision
   * would get if not, and whether they may see the entitlement preview (the API's rule; null for a case at no review stage).
   */
  review?: ReviewAccess | null
}

export interface ReviewAccess {
  stage: ReviewStage
  mayDecide: boolean
  refusal: string | null
  seesEntitlementPreview: boolean
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
  /** Which refusal it is (409, 403, some 400s), e.g. `already-decided`: see RefusalCode.cs in the domain. */
  code?: string
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

/** The dashboard (GET /dashboard): figures of a city or the province for months from–to. Amounts in yuan. */
export interface Dashboard {
  city: string | null
  from: string
  to: string
  applications: { total: number; online: number; counter: number; onlineShare: number | null }
  decisions: {
    decided: number
    approved: number
    rejected: number
    withinDeadline: number
    completionRate: number | null
    averageWorkingDays: number | null
    deadlineWorkingDays: number
    rejectionsByReason: { reason: string; count: number }[]
  }
  monthly: { month: string; online: number; counter: number; total: number }[]
  payments: { month: string; payments: number; amount: number; medicalContribution: number }[]
}

/**
 * One reason a line of an imported file was refused or flagged: a column's value at fault (`column`), or the line as a
 * whole — it repeats an earlier line, has more or fewer fields than the header, cannot be read as CSV, or anything else.
 */
export interface LineProblemReport {
  code: 'column' | 'duplicate' | 'field-count' | 'malformed-csv' | 'line'
  column: string | null
  /** The reason, without its column or kind. */
  message: string
}

/** A line of an imported file refused or flagged: its reasons as text (`errors`) and, in the same order, as `problems`. */
export interface LineReport {
  line: number
  errors: string[]
  problems: LineProblemReport[]
}

/** A registry import's answer (POST /admin/insured-persons/import): lines refused and lines imported with a warning. */
export interface RegistryImportResult {
  imported: number
  updated: number
  rejected: LineReport[]
  flagged: LineReport[]
}

/** A payout run as GET /admin/payout-runs lists it; amounts in yuan. */
export interface PayoutRun {
  runId: string
  period: string
  kind: 'monthly' | 'supplementary'
  sequence: number
  status: string
  payments: number
  totalAmount: number
  benefitAmount: number
  medicalContribution: number
  deathBenefits: number
  reissued: number
  deducted: number
  requestedBy: string
  createdAt: string
  completedAt: string | null
  files: { cityCode: string; path: string; payments: number; amount: number; held: number; archived: boolean }[]
}

/** A bank return file's import (POST /admin/payout-runs/{runId}/returns). */
export interface ReturnImportResult {
  paid: number
  returned: number
  unchanged: number
  rejected: LineReport[]
}

/** An overpayment being recovered (GET /admin/recovery-cases); amounts in yuan. */
export interface RecoveryCase {
  caseId: string
  applicationId: string
  paymentId: string
  cityCode: string
  period: string
  amount: number
  recovered: number
  outstanding: number
  method: string
  instalments: number | null
  instalmentAmount: number | null
  reason: string
  status: string
  createdAt: string
  recoveries: { method: string; amount: number; paymentId: string | null; reference: string | null; actor: string; at: string }[]
}

/** A city fund's books (GET /admin/funds/{cityCode}): balance by account, double entry; amounts in yuan. */
export interface Fund {
  cityCode: string
  name: string
  accounts: { account: string; name: string; debit: number; credit: number; balance: number }[]
  debits: number
  credits: number
  balanced: boolean
}

/** A ledger transaction of a city fund (GET /admin/funds/{cityCode}/movements); amounts in yuan. */
export interface FundMovement {
  transactionId: string
  at: string
  kind: string
  description: string
  runId: string | null
  lines: { account: string; name: string; debit: number; credit: number }[]
}

/**
 * A row of the SMS log (GET /admin/notifications): parts is what carriers bill it as, null for old rows; deliveryStatus the
 * gateway's latest delivery report (delivered, failed, …; null: none yet); campaignId an outreach SMS's campaign.
 */
export interface SmsLogEntry extends Notification {
  parts: number | null
  deliveryStatus?: string | null
  deliveryDetail?: string | null
  campaignId?: string | null
}

/** An outreach campaign (主动服务) with its counts (GET /admin/outreach-campaigns). period: a monthly campaign's month, null for one started by hand. */
export interface OutreachCampaign {
  id: string
  period: string | null
  serviceItem: 'unemployment-benefit' | 'unemployment-subsidy'
  status: 'finding' | 'sending' | 'completed'
  requestedBy: string
  createdAt: string
  completedAt: string | null
  found: number
  sent: number
  delivered: number
  appliedSince: number
}

/** An SMS about an open case that did not reach the person (GET /notifications/undelivered): name and number masked. */
export interface UndeliveredSms {
  notificationId: number
  applicationId: string
  caseNumber: string
  name: string
  to: string
  template: string
  sentAt: string
  deliveryStatus: string | null
  deliveryDetail: string | null
  assignedOffice: string | null
  insuringCity: string | null
}

/** An orchestration to look at (GET /admin/workflows): failed, or stuck (needed and missing). */
export interface WorkflowProblem {
  instanceId: string
  kind: 'failed' | 'stuck'
  runtimeStatus: string
  failure: string | null
  lastUpdatedAt: string | null
}

/** GET /applications/{id}/entitlement-preview: what a final approval would fix today; amount in yuan. */
export interface EntitlementPreview {
  months: number
  monthlyAmount: number
  startMonth: string
  endMonth: string
}

/** A statement contesting a match, as staff took it down (CrossChecks/CrossCheckEndpoints.cs, MatchContestView). */
export interface MatchContest {
  at: string
  actor: string
  office: string | null
  statement: string
}

/** A cross-check match with its evidence (GET /cross-check-matches; name and identity number masked). */
export interface CrossCheckMatch {
  matchId: string
  applicationId: string
  caseNumber: string
  name: string
  idNumber: string
  insuringCity: string
  source: 'national' | 'in-province'
  province: string
  kind: string
  kindName: string
  /** YYYY-MM-DD */
  since: string
  until: string | null
  /** YYYY-MM */
  overlapFrom: string
  overlapTo: string
  overlapMonths: number
  status: 'open' | 'escalated' | 'decided'
  createdAt: string
  deadlineAt: string
  escalatedAt: string | null
  contestUntil: string
  contests: MatchContest[]
  decision: 'confirm' | 'dismiss' | null
  opinion: string | null
  stopDate: string | null
  decidedBy: string | null
  decidedAt: string | null
}
