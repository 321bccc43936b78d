/**
 * Cross-check matches (比对核查, issue 12): a match holds a recipient's benefit until a reviewer or supervisor of the
 * insuring city confirms it (payment stops from the stop date; months paid after it are recovered) or dismisses it (the
 * held months are paid). The API's checks (CrossChecks/CrossCheckEndpoints.cs, Domain ClaimWorkflow.ConfirmMatch) done
 * in the form first, keyed by the API's field names.
 */

export type MatchDecision = 'confirm' | 'dismiss'

export interface MatchDecisionForm {
  decision: MatchDecision | ''
  opinion: string
  /** YYYY-MM-DD; for a confirmation only. */
  stopDate: string
}

export const sourceNames: Record<string, string> = { national: '全国比对', 'in-province': '省内参保' }

export const matchStatusNames: Record<string, string> = { open: '待核实', escalated: '已超期（已报主管）', decided: '已处理' }

export const decisionNames: Record<string, string> = { confirm: '确认属实，停发', dismiss: '不属实，恢复发放' }

/** The form to start from: a confirmation stops from the first day elsewhere, unless the reviewer finds otherwise. */
export function emptyDecision(since: string): MatchDecisionForm {
  return { decision: '', opinion: '', stopDate: since }
}

/** Every problem with the form by the API's field name; empty when the API will take it. */
export function decisionErrors(form: MatchDecisionForm, today: string): Record<string, string> {
  const errors: Record<string, string> = {}
  if (form.decision !== 'confirm' && form.decision !== 'dismiss') errors.decision = '请选择核实结论'
  if (form.opinion.trim() === '') errors.opinion = '请填写核实意见'
  else if (form.opinion.length > 1000) errors.opinion = '不能超过 1000 个字'
  if (form.decision === 'confirm') {
    if (!/^\d{4}-\d{2}-\d{2}$/u.test(form.stopDate)) errors.stopDate = '请选择停发日期'
    else if (form.stopDate > today) errors.stopDate = '停发日期不能晚于今天'
  }
  return errors
}

/** The request body: the stop date goes with a confirmation only. */
export function decisionRequest(form: MatchDecisionForm): Record<string, string> {
  return form.decision === 'confirm'
    ? { decision: form.decision, opinion: form.opinion.trim(), stopDate: form.stopDate }
    : { decision: form.decision, opinion: form.opinion.trim() }
}

/** The months both cover, as a reviewer reads them: 2026年11月至2028年9月（23个月）. */
export function overlapText(from: string, to: string, months: number): string {
  const month = (m: string) => `${Number(m.slice(0, 4))}年${Number(m.slice(5, 7))}月`
  return from === to ? `${month(from)}（1个月）` : `${month(from)}至${month(to)}（${months}个月）`
}
