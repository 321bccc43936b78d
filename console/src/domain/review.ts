import type { Application, ReviewStage } from '../api/types'
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
 * The review stage the case waits at, as the API shows it to the reader (`review.stage`), or null when it shows none:
 * which decision the form sends (…/first-review or …/final-review) and which queue the page returns to.
 */
export function reviewStage(application: Application): ReviewStage | null {
  return application.review?.stage ?? null
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
