import { describe, expect, it } from 'vitest'
import { chinaDate } from './dates'

describe('chinaDate', () => {
  it('is already tomorrow in China at 17:00 UTC', () => {
    expect(chinaDate(new Date('2026-11-30T17:00:00Z'))).toBe('2026-12-01')
  })

  it('is the same day in the morning UTC', () => {
    expect(chinaDate(new Date('2026-11-30T08:00:00Z'))).toBe('2026-11-30')
  })
})
