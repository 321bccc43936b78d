import { ApiError } from '../api/client'

/** The API's limit on a reassignment's reason (Supervision/ReassignCase.cs). */
export const reassignReasonLimit = 500

export interface ReassignForm {
  office: string
  reviewer: string
  reason: string
}

export interface ReassignBody {
  office: string
  reviewer?: string
  reason?: string
}

/**
 * The reassignment request (POST /applications/{id}/reassign), or the errors by the API's field path: an office is
 * required, the reason at most 500 characters; a reviewer only when named.
 */
export function reassignRequest(form: ReassignForm): { body: ReassignBody | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {}
  const office = form.office.trim()
  if (!office) errors.office = '请选择改派至的经办机构'
  if (form.reason.length > reassignReasonLimit) errors.reason = `改派理由不能超过 ${reassignReasonLimit} 个字`
  if (Object.keys(errors).length > 0) return { body: null, errors }
  const reviewer = form.reviewer.trim()
  const reason = form.reason.trim()
  return { body: { office, ...(reviewer ? { reviewer } : {}), ...(reason ? { reason } : {}) }, errors }
}

/** What a supervisor page shows when the API refuses it: the role in words for 403, else the error's message. */
export function supervisorRefusal(error: unknown): string {
  if (error instanceof ApiError && error.status === 403) return '此页面仅供市级主管使用，当前账号无权查看本市的办理情况'
  return error instanceof Error ? error.message : String(error)
}
