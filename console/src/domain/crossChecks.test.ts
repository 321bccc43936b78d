import { describe, expect, it } from 'vitest'
import { decisionErrors, decisionRequest, emptyDecision, overlapText } from './crossChecks'

const today = '2026-12-05'

describe('decisionErrors', () => {
  it('takes a confirmation with an opinion and a stop date up to today', () => {
    expect(decisionErrors({ decision: 'confirm', opinion: '属实', stopDate: '2026-11-20' }, today)).toEqual({})
  })

  it('takes a dismissal with an opinion and no stop date', () => {
    expect(decisionErrors({ decision: 'dismiss', opinion: '同名他人', stopDate: '' }, today)).toEqual({})
  })

  it('names the decision, the opinion and the stop date when they are missing or wrong', () => {
    expect(Object.keys(decisionErrors(emptyDecision('2026-11-20'), today))).toEqual(['decision', 'opinion'])
    expect(decisionErrors({ decision: 'confirm', opinion: ' ', stopDate: '' }, today)).toEqual({
      opinion: '请填写核实意见',
      stopDate: '请选择停发日期',
    })
    expect(decisionErrors({ decision: 'confirm', opinion: '属实', stopDate: '2026-12-06' }, today).stopDate).toBe('停发日期不能晚于今天')
  })
})

describe('decisionRequest', () => {
  it('sends the stop date with a confirmation only', () => {
    expect(decisionRequest({ decision: 'confirm', opinion: ' 属实 ', stopDate: '2026-11-20' })).toEqual({
      decision: 'confirm',
      opinion: '属实',
      stopDate: '2026-11-20',
    })
    expect(decisionRequest({ decision: 'dismiss', opinion: '不属实', stopDate: '2026-11-20' })).toEqual({ decision: 'dismiss', opinion: '不属实' })
  })
})

describe('overlapText', () => {
  it('reads the months both cover', () => {
    expect(overlapText('2026-11', '2028-09', 23)).toBe('2026年11月至2028年9月（23个月）')
    expect(overlapText('2026-10', '2026-10', 1)).toBe('2026年10月（1个月）')
  })
})
