import type { OutreachCampaign, UndeliveredSms } from '../api/types'

export const campaignStatusNames: Record<OutreachCampaign['status'], string> = { finding: '比对中', sending: '发送中', completed: '已完成' }

export const outreachItemNames: Record<OutreachCampaign['serviceItem'], string> = {
  'unemployment-benefit': '失业保险金',
  'unemployment-subsidy': '失业补助金',
}

/** 2026年11月 for a monthly campaign, 手动发起 for one an administrator started. */
export function campaignKind(campaign: Pick<OutreachCampaign, 'period'>): string {
  if (!campaign.period) return '手动发起'
  const [year, month] = campaign.period.split('-')
  return `${year}年${Number(month)}月（每月自动）`
}

/** A share as a whole percentage, or — when there is nothing to divide by. */
function percent(part: number, whole: number): string {
  return whole === 0 ? '—' : `${Math.round((part / whole) * 100)}%`
}

/** 送达率 (delivered of sent) and 申请转化率 (applied since of found), as the campaign list shows them. */
export function campaignRates(campaign: Pick<OutreachCampaign, 'found' | 'sent' | 'delivered' | 'appliedSince'>): { delivery: string; uptake: string } {
  return { delivery: percent(campaign.delivered, campaign.sent), uptake: percent(campaign.appliedSince, campaign.found) }
}

/** Whether a campaign is still at work (the page then refreshes, and starting another for the item returns this one). */
export function campaignRunning(campaigns: Pick<OutreachCampaign, 'status'>[]): boolean {
  return campaigns.some((c) => c.status !== 'completed')
}

/** Why a message counts as undelivered, in words: the gateway's report, or no report at all. */
export function undeliveredReason(row: Pick<UndeliveredSms, 'deliveryStatus' | 'deliveryDetail'>): string {
  if (row.deliveryStatus === null) return '未收到送达回执'
  const status = row.deliveryStatus === 'failed' ? '发送失败' : row.deliveryStatus === 'expired' ? '已过期未送达' : `未送达（${row.deliveryStatus}）`
  return row.deliveryDetail ? `${status}：${row.deliveryDetail}` : status
}

/** The SMS log's delivery column: the report's status in words, or — before one came. */
export function deliveryReportName(status: string | null | undefined): string {
  if (!status) return '—'
  return status === 'delivered' ? '已送达' : status === 'failed' ? '未送达' : status
}
