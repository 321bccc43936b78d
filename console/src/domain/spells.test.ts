import { describe, expect, it } from 'vitest'
import { chinaMonth, spellMonths } from './spells'

describe('spellMonths', () => {
  it('counts both ends across years', () => {
    expect(spellMonths({ startMonth: '2016-03', endMonth: '2019-12' }, '2026-11')).toBe(46)
  })

  it('runs a spell still open to the current month', () => {
    expect(spellMonths({ startMonth: '2026-01', endMonth: null }, '2026-11')).toBe(11)
  })
})

describe('chinaMonth', () => {
  it('is already next month in Beijing on the last evening of a month in UTC', () => {
    expect(chinaMonth(new Date('2026-11-30T17:00:00Z'))).toBe('2026-12')
  })
})
