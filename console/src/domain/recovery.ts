/** How an overpayment is recovered (Payouts/Recoveries.cs), and how one amount came back. */
export const recoveryMethodNames: Record<string, string> = {
  deduction: '从后续待遇中抵扣',
  repayment: '本人一次性退还',
  instalments: '分期退还',
  returned: '银行退回',
}

export const recoveryStatusNames: Record<string, string> = { open: '追回中', recovered: '已追回' }

/**
 * What is wrong with a repayment about to be recorded, by field, before it is sent: an amount in yuan with at most two
 * decimals, more than nothing and no more than is still owed; the receipt reference, 1 to 64 characters.
 */
export function repaymentProblems(amount: string, reference: string, outstanding: number): Record<string, string> {
  const problems: Record<string, string> = {}
  const text = amount.trim()
  if (!/^\d+(\.\d{1,2})?$/.test(text) || Number(text) <= 0) problems.amount = '请输入退还金额（元，最多两位小数）'
  else if (Math.round(Number(text) * 100) > Math.round(outstanding * 100)) problems.amount = `不能超过尚欠金额 ${outstanding.toFixed(2)} 元`
  const ref = reference.trim()
  if (ref.length === 0) problems.reference = '请输入收款凭证号'
  else if (ref.length > 64) problems.reference = '凭证号不能超过 64 个字符'
  return problems
}
