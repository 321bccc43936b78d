import { describe, expect, it } from 'vitest'
import { actorName } from './labels'

describe('actorName', () => {
  it('names the system, the portal a submission came through, and staff by user name', () => {
    expect(actorName({ type: 'verified', actor: 'system' })).toBe('系统')
    expect(actorName({ type: 'submitted', actor: 'demo-portal' })).toBe('门户 demo-portal')
    expect(actorName({ type: 'first-review-approved', actor: '460100-01-r1' })).toBe('460100-01-r1')
  })
})
