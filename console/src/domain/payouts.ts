import type { PayoutRun, ReturnImportResult } from '../api/types'

export const runStatusNames: Record<string, string> = {
  requested: '已发起',
  paying: '计算待遇中',
  issuing: '生成银行文件中',
  completed: '已完成',
}

/** 2026年11月 月度发放, or 2026年11月 第1次补发. */
export function runName(run: Pick<PayoutRun, 'period' | 'kind' | 'sequence'>): string {
  const month = `${run.period.slice(0, 4)}年${Number(run.period.slice(5))}月`
  return run.kind === 'monthly' ? `${month} 月度发放` : `${month} 第${run.sequence}次补发`
}

/** The return file's import in one sentence. */
export function returnSummary(result: ReturnImportResult): string {
  const parts = [`到账 ${result.paid} 笔`, `退回 ${result.returned} 笔`, `此前已处理 ${result.unchanged} 笔`]
  if (result.rejected.length > 0) parts.push(`${result.rejected.length} 行有误未处理`)
  return `回盘导入完成：${parts.join('，')}`
}
