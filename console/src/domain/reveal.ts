/** The API's rule for revealing an applicant's full personal data (POST /applications/{id}/reveal): a stated reason, 2 to 200 characters. */
export const revealReasonLimit = 200

/** Why a reveal reason would be refused, in the reviewer's words; null when the API will take it. */
export function revealReasonError(reason: string): string | null {
  const text = reason.trim()
  if (text.length < 2) return '请说明查看完整信息的理由（至少 2 个字）'
  if (text.length > revealReasonLimit) return `理由不能超过 ${revealReasonLimit} 个字`
  return null
}
