import type { Application, CurrentStaff, ReviewStage } from '../api/types'
import { refusalWords } from './problems'

export type Decision = 'approve' | 'reject'

export const opinionLimit = 1000

/** The rule the API enforces, checked in the form first: a rejection must say why. */
export function opinionError(decision: Decision | '', opinion: string): string | null {
  if (decision === 'reject' && opinion.trim() === '') return '不予通过时必须填写审核意见'
  if (opinion.length > opinionLimit) return `审核意见不能超过 ${opinionLimit} 个字`
  return null
}

/**
 * Why the signed-in staff member may not decide this case at this stage, in their words, or null when they may — the
 * API's rule (ClaimWorkflow.FirstReview / FinalReview), checked before the form is offered: reviewers and supervisors
 * only; first review (初审) by the office the case is assigned to; final review (复核) in the insuring city, by someone
 * other than the first reviewer. The API checks again and has the last word.
 */
export function decisionBarred(stage: ReviewStage, staff: CurrentStaff, application: Application): string | null {
  if (staff.role !== 'reviewer' && staff.role !== 'supervisor') return refusalWords('not-a-reviewer')
  if (stage === 'first-review') return staff.office === application.assignedOffice ? null : refusalWords('not-assigned-office')
  if (staff.city !== application.insuringCity) return refusalWords('not-insuring-city')
  const firstReviewer = [...application.history].reverse().find((entry) => entry.type === 'first-review-approved')?.actor
  return firstReviewer === staff.username ? refusalWords('first-reviewer-may-not-final-review') : null
}

/**
 * Whether the staff member sees what a final approval would fix (GET …/entitlement-preview; ReviewCommands'
 * PreviewEntitlementAsync): administrators, and staff of the assigned office or the insuring city. Asked only then, so a
 * case seen from elsewhere (全省通办: any office may look a case up) does not end in a refused request.
 */
export function seesEntitlementPreview(staff: CurrentStaff, application: Application): boolean {
  return staff.role === 'administrator' || staff.office === application.assignedOffice || staff.city === application.insuringCity
}
