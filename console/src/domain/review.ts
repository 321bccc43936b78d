export type Decision = 'approve' | 'reject'

export const opinionLimit = 1000

/** The rule the API enforces, checked in the form first: a rejection must say why. */
export function opinionError(decision: Decision | '', opinion: string): string | null {
  if (decision === 'reject' && opinion.trim() === '') return '不予通过时必须填写审核意见'
  if (opinion.length > opinionLimit) return `审核意见不能超过 ${opinionLimit} 个字`
  return null
}
