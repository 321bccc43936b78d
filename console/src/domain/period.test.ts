import { describe, expect, it } from 'vitest'
import { addMonths, chinaMonth, defaultPeriod, monthsOf, periodFromQuery, periodLabel, periodProblem, presets } from './period'

describe('period', () => {
  it('takes the month in China time, not the browser’s', () => {
    expect(chinaMonth(new Date('2026-11-30T16:30:00Z'))).toBe('2026-12')
    expect(chinaMonth(new Date('2026-11-30T15:59:00Z'))).toBe('2026-11')
  })

  it('defaults to the last twelve months, across the turn of the year', () => {
    expect(defaultPeriod(new Date('2026-03-10T02:00:00Z'))).toEqual({ from: '2025-04', to: '2026-03' })
  })

  it('offers this year, this month and last month', () => {
    const byLabel = Object.fromEntries(presets(new Date('2026-01-15T02:00:00Z')).map((p) => [p.label, p.period]))
    expect(byLabel['本年']).toEqual({ from: '2026-01', to: '2026-01' })
    expect(byLabel['上月']).toEqual({ from: '2025-12', to: '2025-12' })
  })

  it('lists every month of a period and adds months across years', () => {
    expect(monthsOf({ from: '2025-11', to: '2026-02' })).toEqual(['2025-11', '2025-12', '2026-01', '2026-02'])
    expect(addMonths('2026-01', -1)).toBe('2025-12')
    expect(addMonths('2026-11', 2)).toBe('2027-01')
  })

  it('says why a period cannot be asked for', () => {
    expect(periodProblem({ from: '2026-11', to: '2026-10' })).toBe('起始月份不能晚于截止月份')
    expect(periodProblem({ from: '2023-01', to: '2026-01' })).toBe('统计期间最长 36 个月')
    expect(periodProblem({ from: '2026-13', to: '2026-11' })).toBe('请选择起止月份')
    expect(periodProblem({ from: '2023-02', to: '2026-01' })).toBeNull()
  })

  it('reads the period from the address, falling back to the default when it is not valid', () => {
    const now = new Date('2026-11-30T02:00:00Z')
    expect(periodFromQuery({ from: '2026-01', to: '2026-06' }, now)).toEqual({ from: '2026-01', to: '2026-06' })
    expect(periodFromQuery({ from: '2026-06', to: '2026-01' }, now)).toEqual({ from: '2025-12', to: '2026-11' })
  })

  it('names a period in words', () => {
    expect(periodLabel({ from: '2026-01', to: '2026-11' })).toBe('2026年1月—2026年11月')
    expect(periodLabel({ from: '2026-11', to: '2026-11' })).toBe('2026年11月')
  })
})
