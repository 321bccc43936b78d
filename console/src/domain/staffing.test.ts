import { describe, expect, it } from 'vitest'
import { percent, reviewersError, staffingShares } from './staffing'

describe('staffingShares', () => {
  it('follows the province file when the supervisor has set nothing', () => {
    expect(
      staffingShares([
        { code: '460100-01', reviewers: 4, onDuty: null },
        { code: '460100-02', reviewers: 2, onDuty: null },
        { code: '460100-03', reviewers: 2, onDuty: null },
      ]),
    ).toEqual({ '460100-01': 0.5, '460100-02': 0.25, '460100-03': 0.25 })
  })

  it("follows the day's reviewers on duty where set, and gives an office with none no new cases", () => {
    expect(
      staffingShares([
        { code: '460200-01', reviewers: 4, onDuty: 0 },
        { code: '460200-02', reviewers: 2, onDuty: 3 },
      ]),
    ).toEqual({ '460200-01': 0, '460200-02': 1 })
  })

  it('mixes set and unset offices', () => {
    const shares = staffingShares([
      { code: 'a', reviewers: 4, onDuty: null },
      { code: 'b', reviewers: 2, onDuty: 12 },
    ])
    expect(percent(shares.a!)).toBe('25%')
    expect(percent(shares.b!)).toBe('75%')
  })

  it('falls back to the province file when nobody is on duty anywhere', () => {
    expect(
      staffingShares([
        { code: 'a', reviewers: 3, onDuty: 0 },
        { code: 'b', reviewers: 1, onDuty: 0 },
      ]),
    ).toEqual({ a: 0.75, b: 0.25 })
  })
})

describe('reviewersError', () => {
  it('takes 0 to 99 whole reviewers', () => {
    expect(reviewersError(0)).toBeNull()
    expect(reviewersError(99)).toBeNull()
  })

  it('refuses a missing, fractional or out-of-range figure', () => {
    expect(reviewersError(null)).toBe('请填写在岗人数')
    expect(reviewersError(1.5)).toBe('请填写在岗人数')
    expect(reviewersError(100)).toContain('99')
  })
})
