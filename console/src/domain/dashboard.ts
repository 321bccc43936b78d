import type { Dashboard } from '../api/types'
import type { FigureTable } from './csv'
import { periodLabel } from './period'

/** Why applications were rejected: verification findings, and reviewers' rejections by stage. */
export const rejectionReasonNames: Record<string, string> = {
  'identity-not-found': '未查到参保登记',
  'name-mismatch': '姓名与登记不一致',
  'insufficient-contributions': '缴费不满一年',
  'voluntary-separation': '本人意愿中断就业',
  'mutual-agreement-not-covered': '协商解除不予保障',
  'still-contributing': '仍在参保缴费',
  'insured-outside-province': '在省外参保',
  'on-pension': '已领取养老金',
  'past-retirement-age': '已达法定退休年龄',
  'other-open-claim': '已有在办申请',
  'first-review': '初审不予通过',
  'final-review': '复核不予通过',
}

/** A share (0–1) as a percentage to one decimal, or — when there was nothing to divide. */
export function formatRate(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1)}%`
}

function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole
}

/** The tables behind the dashboard's charts, each also its CSV download; file names carry the scope and period. */
export function dashboardTables(dashboard: Dashboard, scope: string) {
  const suffix = `${scope}_${dashboard.from}_${dashboard.to}`
  const channels: FigureTable = {
    name: `申请渠道_${suffix}`,
    columns: ['渠道', '申请件数', '占比'],
    rows: [
      ['网上申请', dashboard.applications.online, formatRate(dashboard.applications.onlineShare)],
      ['窗口受理', dashboard.applications.counter, formatRate(rate(dashboard.applications.counter, dashboard.applications.total))],
      ['合计', dashboard.applications.total, dashboard.applications.total === 0 ? '—' : '100.0%'],
    ],
  }
  const monthly: FigureTable = {
    name: `月度申请量_${suffix}`,
    columns: ['月份', '网上申请', '窗口受理', '合计', '网办率'],
    rows: dashboard.monthly.map((m) => [m.month, m.online, m.counter, m.total, formatRate(rate(m.online, m.total))]),
  }
  const decisions: FigureTable = {
    name: `审核结果_${suffix}`,
    columns: ['结果', '原因', '件数'],
    rows: [
      ['核准', '复核通过', dashboard.decisions.approved],
      ...dashboard.decisions.rejectionsByReason.map((r) => ['不予核准', rejectionReasonNames[r.reason] ?? r.reason, r.count]),
    ],
  }
  const payments: FigureTable = {
    name: `待遇发放_${suffix}`,
    columns: ['待遇月份', '发放笔数', '发放金额（元）', '代缴医疗保险费（元）'],
    rows: dashboard.payments.map((p) => [p.month, p.payments, p.amount.toFixed(2), p.medicalContribution.toFixed(2)]),
  }
  const timeliness: FigureTable = {
    name: `办结情况_${suffix}`,
    columns: ['统计期间', '办结件数', '按期办结件数', '办结率', '平均办理时长（工作日）', '办理时限（工作日）'],
    rows: [
      [
        periodLabel(dashboard),
        dashboard.decisions.decided,
        dashboard.decisions.withinDeadline,
        formatRate(dashboard.decisions.completionRate),
        dashboard.decisions.averageWorkingDays,
        dashboard.decisions.deadlineWorkingDays,
      ],
    ],
  }
  return { channels, monthly, decisions, payments, timeliness }
}

const palette = ['#1f4e79', '#e6a23c', '#67c23a', '#f56c6c', '#909399']

/** Applications by channel: a ring with 网办率 in its middle. */
export function channelChart(dashboard: Dashboard) {
  return {
    color: palette,
    tooltip: { trigger: 'item', formatter: '{b}：{c} 件（{d}%）' },
    legend: { bottom: 0 },
    title: { text: formatRate(dashboard.applications.onlineShare), subtext: '网办率', left: 'center', top: '35%' },
    series: [
      {
        type: 'pie',
        radius: ['40%', '62%'],
        center: ['50%', '45%'],
        label: { formatter: '{b}\n{c} 件' },
        data: [
          { name: '网上申请', value: dashboard.applications.online },
          { name: '窗口受理', value: dashboard.applications.counter },
        ],
      },
    ],
  }
}

/** Applications per month, online and at the counter stacked, like Gaoming's monthly chart. */
export function monthlyChart(dashboard: Dashboard) {
  return {
    color: palette,
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 48, right: 16, top: 24, bottom: 48 },
    xAxis: { type: 'category', data: dashboard.monthly.map((m) => m.month) },
    yAxis: { type: 'value', name: '件', minInterval: 1 },
    series: [
      { name: '网上申请', type: 'bar', stack: 'applications', data: dashboard.monthly.map((m) => m.online) },
      { name: '窗口受理', type: 'bar', stack: 'applications', data: dashboard.monthly.map((m) => m.counter) },
    ],
  }
}

/** Approvals, then rejections by reason, most frequent first. */
export function decisionChart(dashboard: Dashboard) {
  const rows = [
    { name: '核准', value: dashboard.decisions.approved, color: '#67c23a' },
    ...dashboard.decisions.rejectionsByReason.map((r) => ({
      name: rejectionReasonNames[r.reason] ?? r.reason,
      value: r.count,
      color: '#f56c6c',
    })),
  ]
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 128, right: 32, top: 16, bottom: 24 },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', inverse: true, data: rows.map((r) => r.name) },
    series: [
      {
        type: 'bar',
        label: { show: true, position: 'right' },
        data: rows.map((r) => ({ value: r.value, itemStyle: { color: r.color } })),
      },
    ],
  }
}

/** Payments per benefit month: lines in the bank files (bars) and yuan paid (line, right axis). */
export function paymentChart(dashboard: Dashboard) {
  return {
    color: palette,
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 48, right: 72, top: 32, bottom: 48 },
    xAxis: { type: 'category', data: dashboard.payments.map((p) => p.month) },
    yAxis: [
      { type: 'value', name: '笔', minInterval: 1 },
      { type: 'value', name: '元' },
    ],
    series: [
      { name: '发放笔数', type: 'bar', data: dashboard.payments.map((p) => p.payments) },
      { name: '发放金额（元）', type: 'line', yAxisIndex: 1, data: dashboard.payments.map((p) => p.amount) },
    ],
  }
}
