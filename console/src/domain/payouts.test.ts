import { describe, expect, it } from 'vitest'
import { returnSummary, runName } from './payouts'

describe('payouts', () => {
  it('names monthly and supplementary runs as staff say them', () => {
    expect(runName({ period: '2026-11', kind: 'monthly', sequence: 0 })).toBe('2026年11月 月度发放')
    expect(runName({ period: '2026-03', kind: 'supplementary', sequence: 2 })).toBe('2026年3月 第2次补发')
  })

  it('sums a return file up, naming refused lines only when there are some', () => {
    expect(returnSummary({ paid: 9, returned: 1, unchanged: 0, rejected: [] })).toBe('回盘导入完成：到账 9 笔，退回 1 笔，此前已处理 0 笔')
    expect(returnSummary({ paid: 0, returned: 0, unchanged: 10, rejected: [{ line: 4, errors: ['x'], problems: [{ code: 'line', column: null, message: 'x' }] }] })).toBe(
      '回盘导入完成：到账 0 笔，退回 0 笔，此前已处理 10 笔，1 行有误未处理',
    )
  })
})
