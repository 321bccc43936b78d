import type { Application } from '../api/types'
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
 * Why the signed-in staff member may not decide this case, in their words, or null when they may or it waits for no
 * review. The API says so (`review` in GET /applications/{id}, from the rule the decision applies:
 * ClaimWorkflow.DecisionRefusal); the console only words its refusal code.
 */
export function decisionBarred(application: Application): string | null {
  const review = application.review
  return review && !review.mayDecide ? refusalWords(review.refusal ?? '') : null
}

/**
 * Whether to ask for what a final approval would fix (GET …/entitlement-preview): the API says who sees it
 * (`review.seesEntitlementPreview`, ReviewCommands.SeesEntitlementPreview), so a case seen from elsewhere (全省通办:
 * any office may look a case up) does not end in a refused request.
 */
export function seesEntitlementPreview(application: Application): boolean {
  return application.review?.seesEntitlementPreview === true
}
