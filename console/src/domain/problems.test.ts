import { describe, expect, it } from 'vitest'
import { describeProblem, fieldErrors } from './problems'

describe('describeProblem', () => {
  it('names the field in Chinese and translates the message', () => {
    expect(describeProblem(400, { status: 400, errors: { opinion: ['An opinion is required to reject.'] } })).toBe(
      '审核意见：不予通过时必须填写审核意见',
    )
  })

  it('keeps a field the console does not know by its path', () => {
    expect(describeProblem(400, { errors: { 'applicant.idNumber': ['校验码错误'] } })).toBe('applicant.idNumber：校验码错误')
  })

  it('says what a 409 means to a reviewer', () => {
    expect(describeProblem(409, { title: 'Conflict' })).toContain('已不在此审核环节')
  })

  it('explains a failed sign-in', () => {
    expect(describeProblem(401, null)).toBe('用户名或密码错误')
  })
})

describe('fieldErrors', () => {
  it('keys each field error by its API path, translated where known', () => {
    expect(
      fieldErrors({ errors: { 'payee.bankAccount': ['12 to 30 digits.'], 'reporter.mobile': ['11 digits', 'from 13'] } }),
    ).toEqual({ 'payee.bankAccount': '银行账号为 12 至 30 位数字', 'reporter.mobile': '11 digits；from 13' })
  })

  it('is empty for a problem without field errors', () => {
    expect(fieldErrors({ status: 409 })).toEqual({})
  })
})
