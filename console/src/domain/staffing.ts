/**
 * The day's staffing as the API allocates by it (Domain/Routing/OfficeAllocation.cs): each office counts the reviewers
 * the supervisor set on duty for the day, else those in the province file; an office with none takes no new online
 * applications; a day with nobody on duty anywhere falls back to the province file.
 */
export const maxReviewers = 99

export interface StaffedOffice {
  code: string
  /** In the province file. */
  reviewers: number
  /** Set for the day; null when not set. */
  onDuty: number | null
}

/** Each office's share (0 to 1) of the new online applications, in proportion to the reviewers it counts that day. */
export function staffingShares(offices: StaffedOffice[]): Record<string, number> {
  let counted = offices.map((o) => ({ code: o.code, reviewers: o.onDuty ?? o.reviewers }))
  if (counted.every((o) => o.reviewers <= 0)) counted = offices.map((o) => ({ code: o.code, reviewers: o.reviewers }))
  const total = counted.reduce((sum, o) => sum + Math.max(0, o.reviewers), 0)
  return Object.fromEntries(counted.map((o) => [o.code, total > 0 ? Math.max(0, o.reviewers) / total : 0]))
}

/** A share as staff read it: 33%. */
export function percent(share: number): string {
  return `${Math.round(share * 100)}%`
}

/** Why a reviewers figure would be refused, or null: a whole number from 0 to 99. */
export function reviewersError(value: number | null | undefined): string | null {
  if (value === null || value === undefined || !Number.isInteger(value)) return '请填写在岗人数'
  if (value < 0 || value > maxReviewers) return `在岗人数为 0 至 ${maxReviewers}`
  return null
}
