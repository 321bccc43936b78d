import { describe, expect, it } from 'vitest'
import type { Dashboard } from '../api/types'
import { toCsv } from './csv'
import { dashboardTables, decisionChart, formatRate, monthlyChart } from './dashboard'

const dashboard: Dashboard = {
  city: '460100',
  from: '2026-10',
  to: '2026-11',
  applications: { total: 4, online: 1, counter: 3, onlineShare: 0.25 },
  decisions: {
    decided: 3,
    approved: 1,
    rejected: 2,
    withinDeadline: 2,
    completionRate: 2 / 3,
    averageWorkingDays: 1.5,
    deadlineWorkingDays: 3,
    rejectionsByReason: [
      { reason: 'voluntary-separation', count: 1 },
      { reason: 'first-review', count: 1 },
    ],
  },
  monthly: [
    { month: '2026-10', online: 0, counter: 0, total: 0 },
    { month: '2026-11', online: 1, counter: 3, total: 4 },
  ],
  payments: [
    { month: '2026-10', payments: 0, amount: 0, medicalContribution: 0 },
    { month: '2026-11', payments: 2, amount: 3660, medicalContribution: 524.2 },
  ],
}

describe('dashboard', () => {
  it('writes rates as percentages and nothing-to-divide as a dash', () => {
    expect(formatRate(2 / 3)).toBe('66.7%')
    expect(formatRate(null)).toBe('—')
  })

  it('builds each chart’s CSV from the figures the API returned, named by scope and period', () => {
    const tables = dashboardTables(dashboard, '海口市')
    expect(tables.monthly.name).toBe('月度申请量_海口市_2026-10_2026-11')
    expect(toCsv(tables.monthly).slice(1).split('\r\n')).toEqual([
      '月份,网上申请,窗口受理,合计,网办率',
      '2026-10,0,0,0,—',
      '2026-11,1,3,4,25.0%',
      '',
    ])
    expect(tables.payments.rows[1]).toEqual(['2026-11', 2, '3660.00', '524.20'])
    expect(tables.decisions.rows).toEqual([
      ['核准', '复核通过', 1],
      ['不予核准', '本人意愿中断就业', 1],
      ['不予核准', '初审不予通过', 1],
    ])
    expect(tables.timeliness.rows[0]).toEqual(['2026年10月—2026年11月', 3, 2, '66.7%', 1.5, 3])
  })

  it('charts the months and the reasons the API sent, in its order', () => {
    const monthly = monthlyChart(dashboard)
    expect(monthly.xAxis.data).toEqual(['2026-10', '2026-11'])
    expect(monthly.series.map((s) => s.data)).toEqual([
      [0, 1],
      [0, 3],
    ])
    expect(decisionChart(dashboard).yAxis.data).toEqual(['核准', '本人意愿中断就业', '初审不予通过'])
  })
})
