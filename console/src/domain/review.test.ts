import { describe, expect, it } from 'vitest'
import type { Application, CurrentStaff } from '../api/types'
import { decisionBarred, opinionError, seesEntitlementPreview } from './review'

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

describe('decisionBarred', () => {
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
  const staff = (username: string, role: CurrentStaff['role'], office: string | null, city: string | null): CurrentStaff => ({
    username,
    role,
    office,
    city,
  })

  it('lets the assigned office first review, and no other office', () => {
    expect(decisionBarred('first-review', staff('460200-01-r1', 'reviewer', '460200-01', '460200'), sanyaCase)).toBeNull()
    expect(decisionBarred('first-review', staff('460100-01-r1', 'reviewer', '460100-01', '460100'), sanyaCase)).toBe(
      '该件的初审由承办经办机构办理，不在本人的办理范围内',
    )
  })

  it('keeps final review in the insuring city, and from the first reviewer', () => {
    const atFinal: Application = {
      ...sanyaCase,
      status: 'final-review',
      history: [{ at: '2026-12-01T01:00:00Z', type: 'first-review-approved', actor: '460200-01-r1', office: '460200-01', opinion: null }],
    }
    expect(decisionBarred('final-review', staff('460200-01-r2', 'reviewer', '460200-01', '460200'), atFinal)).toBeNull()
    expect(decisionBarred('final-review', staff('460200-sup', 'supervisor', null, '460200'), atFinal)).toBeNull()
    expect(decisionBarred('final-review', staff('460200-01-r1', 'reviewer', '460200-01', '460200'), atFinal)).toBe(
      '办理初审的人员不能再办理该件的复核',
    )
    expect(decisionBarred('final-review', staff('460100-01-r1', 'reviewer', '460100-01', '460100'), atFinal)).toBe(
      '该件由参保地的审核员和主管办理，不在本人的办理范围内',
    )
  })

  it('asks for the entitlement preview only where the API shows it', () => {
    expect(seesEntitlementPreview(staff('460200-01-r1', 'reviewer', '460200-01', '460200'), sanyaCase)).toBe(true)
    expect(seesEntitlementPreview(staff('460200-sup', 'supervisor', null, '460200'), sanyaCase)).toBe(true)
    expect(seesEntitlementPreview(staff('admin', 'administrator', null, null), sanyaCase)).toBe(true)
    expect(seesEntitlementPreview(staff('460100-01-r1', 'reviewer', '460100-01', '460100'), sanyaCase)).toBe(false)
  })

  it('leaves reviews to reviewers and supervisors', () => {
    expect(decisionBarred('first-review', staff('admin', 'administrator', null, null), sanyaCase)).toBe('只有审核员和主管可以审核申请')
  })
})
