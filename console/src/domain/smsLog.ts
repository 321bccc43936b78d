/** Delivery states of the SMS log, including a message a deliverer has claimed and is sending. */
export const deliveryStatusNames: Record<string, string> = { queued: '待发送', sending: '发送中', sent: '已发送', failed: '发送失败' }

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Whether the text can be an application id (the API's are GUIDs); blank means "the latest messages". */
export function applicationIdProblem(text: string): string | null {
  const trimmed = text.trim()
  return trimmed === '' || guid.test(trimmed) ? null : '申请编号格式不正确（应为 36 位的申请 ID）'
}

/** 共 12 条：已发送 10 条，待发送 2 条 — counts by status, in the order of deliveryStatusNames, then any other. */
export function deliverySummary(statuses: string[]): string {
  if (statuses.length === 0) return '共 0 条'
  const counts = new Map<string, number>()
  for (const status of statuses) counts.set(status, (counts.get(status) ?? 0) + 1)
  const order = [...Object.keys(deliveryStatusNames), ...[...counts.keys()].filter((s) => !(s in deliveryStatusNames))]
  const parts = order.filter((s) => counts.has(s)).map((s) => `${deliveryStatusNames[s] ?? s} ${counts.get(s)} 条`)
  return `共 ${statuses.length} 条：${parts.join('，')}`
}
