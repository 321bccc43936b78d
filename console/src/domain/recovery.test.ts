import { describe, expect, it } from 'vitest'
import { repaymentProblems } from './recovery'

describe('repayment', () => {
  it('accepts up to what is still owed, in yuan with at most two decimals', () => {
    expect(repaymentProblems('1830', 'HK-2026-0001', 1830)).toEqual({})
    expect(repaymentProblems('0.01', 'HK-1', 0.01)).toEqual({})
  })

  it('refuses more than is owed, no amount, three decimals or a missing receipt reference', () => {
    expect(repaymentProblems('1830.01', 'HK-1', 1830).amount).toBe('不能超过尚欠金额 1830.00 元')
    expect(repaymentProblems('0', 'HK-1', 1830).amount).toBe('请输入退还金额（元，最多两位小数）')
    expect(repaymentProblems('10.005', 'HK-1', 1830).amount).toBe('请输入退还金额（元，最多两位小数）')
    expect(repaymentProblems('10', '  ', 1830).reference).toBe('请输入收款凭证号')
  })
})
