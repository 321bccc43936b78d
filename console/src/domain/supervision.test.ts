import { describe, expect, it } from 'vitest'
import { ApiError } from '../api/client'
import { reassignRequest, supervisorRefusal } from './supervision'

describe('reassignRequest', () => {
  it('requires an office', () => {
    expect(reassignRequest({ office: '', reviewer: '460100-02-r1', reason: '' })).toEqual({
      body: null,
      errors: { office: '请选择改派至的经办机构' },
    })
  })

  it('sends only what was given, trimmed', () => {
    expect(reassignRequest({ office: '460100-02', reviewer: '  ', reason: ' 积压 ' }).body).toEqual({ office: '460100-02', reason: '积压' })
    expect(reassignRequest({ office: '460100-02', reviewer: '460100-02-r2', reason: '' }).body).toEqual({
      office: '460100-02',
      reviewer: '460100-02-r2',
    })
  })

  it('refuses a reason over 500 characters', () => {
    expect(reassignRequest({ office: '460100-02', reviewer: '', reason: '因'.repeat(501) }).errors.reason).toContain('500')
  })
})

describe('supervisorRefusal', () => {
  it('says a 403 means the page is for city supervisors', () => {
    expect(supervisorRefusal(new ApiError(403, { status: 403 }))).toContain('仅供市级主管使用')
  })

  it('passes other errors through', () => {
    expect(supervisorRefusal(new ApiError(404, null))).toBe('未找到该业务')
  })
})
