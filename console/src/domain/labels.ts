import type { StaffRole } from '../api/types'

export const roleNames: Record<StaffRole, string> = {
  reviewer: '审核员',
  supervisor: '主管',
  administrator: '管理员',
}

export const stageNames: Record<string, string> = {
  'first-review': '初审',
  'final-review': '复核',
}

export const statusNames: Record<string, string> = {
  verifying: '核验中',
  'first-review': '待初审',
  'final-review': '待复核',
  approved: '已核准',
  rejected: '不予受理',
  suspended: '暂停发放',
  completed: '已办结',
  terminated: '已终止',
}

export const historyNames: Record<string, string> = {
  submitted: '提交申请',
  'registered-unemployed': '失业登记',
  verified: '自动核验通过',
  'verification-failed': '自动核验未通过',
  assigned: '分派经办机构',
  rechecked: '二次审核',
  'first-review-approved': '初审通过',
  'first-review-rejected': '初审不通过',
  routed: '转参保地复核',
  'final-review-approved': '复核通过',
  'final-review-rejected': '复核不通过',
  'deadline-reminder': '临近办理期限提醒',
  'deadline-missed': '超过办理期限',
  reassigned: '主管改派',
  stopped: '停发（报告事件）',
  completed: '待遇享受期满',
  'cross-check-suspended': '比对疑点，暂缓发放',
  'cross-check-contested': '申请人提出异议',
  'cross-check-escalated': '比对核查超期，报主管',
  'cross-check-confirmed': '比对核查属实',
  'cross-check-dismissed': '比对核查不属实，恢复发放',
}

export const channelNames: Record<string, string> = { online: '网上申请', counter: '窗口受理' }

export const serviceItemNames: Record<string, string> = {
  'unemployment-benefit': '失业保险金',
  'unemployment-subsidy': '失业补助金',
  'skill-upgrade-subsidy': '技能提升补贴',
  'funeral-subsidy': '丧葬补助金',
  'relationship-transfer': '关系转移',
  'unemployment-registration': '失业登记',
  'job-retention-refund': '稳岗返还',
}

export const documentKindNames: Record<string, string> = {
  'resident-id': '居民身份证',
  'hk-macao-permit': '港澳居民居住证',
  'taiwan-permit': '台湾居民居住证',
  'foreign-permanent-resident': '外国人永久居留身份证',
}

export const separationReasonNames: Record<string, string> = {
  'contract-expired': '劳动合同期满',
  'employer-terminated': '用人单位解除',
  'employer-closed': '用人单位关闭破产',
  'mutual-agreement': '协商解除',
  dismissed: '被用人单位辞退',
  'resigned-employer-fault': '因单位过错辞职',
  resigned: '本人辞职',
  retired: '退休',
}

export const smsStatusNames: Record<string, string> = { queued: '待发送', sent: '已发送', failed: '发送失败' }

/** A code in words, or the code itself when the console does not know it yet. */
export function label(names: Record<string, string>, code: string | null | undefined): string {
  if (!code) return '—'
  return names[code] ?? code
}

/** Time as China reads it, to the minute: 2026-11-30 09:05. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—'
  const parts = new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso))
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`
}

export function formatYuan(amount: number): string {
  return `${amount.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} 元`
}

/**
 * Who did a step of a case's history, for staff: 系统 for the system; the portal an application came in through
 * (门户 and its id: a submission's actor is the portal, not a person); else the staff member's user name.
 */
export function actorName(entry: { type: string; actor: string }): string {
  if (entry.actor === 'system') return '系统'
  return entry.type === 'submitted' ? `门户 ${entry.actor}` : entry.actor
}
