/** What an orchestration's instance id says it drives: a payout run (payout-2026-11-monthly, …-supplementary-1) or a claim. */
export function workflowSubject(instanceId: string): string {
  const run = /^payout-(\d{4})-(\d{2})-(monthly|supplementary)(?:-(\d+))?$/.exec(instanceId)
  if (run) {
    const month = `${run[1]}年${Number(run[2])}月`
    return run[3] === 'monthly' ? `${month} 月度发放批次` : `${month} 第${run[4]}次补发批次`
  }
  return '申请办理流程'
}

export const workflowKindNames: Record<string, string> = { failed: '运行失败', stuck: '流程缺失（卡住）' }
