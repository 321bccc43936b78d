import { describe, expect, it } from 'vitest'
import { revealReasonError } from './reveal'

describe('revealReasonError', () => {
  it('requires a reason of at least two characters, spaces not counted', () => {
    expect(revealReasonError(' 核 ')).toBe('请说明查看完整信息的理由（至少 2 个字）')
  })

  it('takes a short reason', () => {
    expect(revealReasonError('核对身份')).toBeNull()
  })

  it('refuses a reason over 200 characters', () => {
    expect(revealReasonError('理'.repeat(201))).toContain('200')
  })
})
