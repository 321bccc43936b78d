import { describe, expect, it } from 'vitest'
import { opinionError } from './review'

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
