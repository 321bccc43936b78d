import { describe, expect, it } from 'vitest'
import type { Application } from '../api/types'
import { decisionBarred, opinionError, reviewStage, seesEntitlementPreview } from './review'

describe('opinionError', () => {
  it('requires an opinion to reject', () => {
    expect(opinionError('reject', '   ')).toBe('不予通过时必须填写审核意见')
  })

  it('lets an approval go without one', () => {
    expect(opinionError('approve', '')).toBeNull()
  })

  it('refuses an opinion over the limit', () => {
    expect(opinionError('approve', '字'.repeat(1001))).toContain('1000')
  })
})

describe('reviewStage, decisionBarred and seesEntitlementPreview', () => {
  const sanyaCase: Application = {
    applicationId: 'a',
    caseNumber: '46',
    serviceItem: 'unemployment-benefit',
    status: 'first-review',
    channel: 'counter',
    acceptingOffice: '460200-01',
    insuringCity: '460200',
    assignedOffice: '460200-01',
    receivedAt: '2026-12-01T00:00:00Z',
    dueAt: null,
    applicant: { idNumber: '4602**', name: '王*', mobile: '138****', documentKind: 'resident-id' },
    verification: null,
    entitlement: null,
    history: [],
  }
  const seen = (mayDecide: boolean, refusal: string | null, seesEntitlementPreview: boolean): Application => ({
    ...sanyaCase,
    review: { stage: 'first-review', mayDecide, refusal, seesEntitlementPreview },
  })

  it('offers the decision where the API says the reader may take it', () => {
    expect(decisionBarred(seen(true, null, true))).toBeNull()
    expect(seesEntitlementPreview(seen(true, null, true))).toBe(true)
  })

  it("words the API's refusal in Chinese and asks for no preview it would refuse", () => {
    expect(decisionBarred(seen(false, 'not-assigned-office', false))).toBe('该件的初审由承办经办机构办理，不在本人的办理范围内')
    expect(decisionBarred(seen(false, 'first-reviewer-may-not-final-review', true))).toBe('办理初审的人员不能再办理该件的复核')
    expect(decisionBarred(seen(false, 'not-a-reviewer', true))).toBe('只有审核员和主管可以审核申请')
    expect(seesEntitlementPreview(seen(false, 'not-assigned-office', false))).toBe(false)
  })

  it('takes the stage from what the API shows the reader, not from the status', () => {
    expect(reviewStage(seen(true, null, true))).toBe('first-review')
    expect(reviewStage({ ...sanyaCase, status: 'final-review', review: { stage: 'final-review', mayDecide: true, refusal: null, seesEntitlementPreview: true } }))
      .toBe('final-review')
    // The status is first review, but the API shows this reader no review: there is no stage to decide at.
    expect(reviewStage({ ...sanyaCase, review: null })).toBeNull()
    expect(reviewStage(sanyaCase)).toBeNull()
  })

  it('bars nothing and previews nothing for a case waiting for no review', () => {
    expect(decisionBarred({ ...sanyaCase, status: 'approved', review: null })).toBeNull()
    expect(seesEntitlementPreview({ ...sanyaCase, status: 'approved' })).toBe(false)
  })
})
