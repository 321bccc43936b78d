import type { Problem } from '../api/types'

/** Field paths of the API in the words a reviewer uses. */
const fieldNames: Record<string, string> = {
  username: '用户名',
  password: '密码',
  decision: '审核结论',
  opinion: '审核意见',
  stage: '审核阶段',
  reason: '理由',
  type: '报告事项',
  date: '发生日期',
  dependants: '供养亲属人数',
  reporter: '报告人',
  'reporter.name': '报告人姓名',
  'reporter.relationship': '与逝者关系',
  'reporter.mobile': '报告人手机号',
  payee: '收款账户',
  'payee.name': '户名',
  'payee.bankAccount': '银行账号',
  caseNumber: '业务编号',
  idNumber: '证件号码',
  office: '经办机构',
  reviewer: '审核人员',
  offices: '各经办机构',
  stopDate: '停发日期',
  statement: '异议陈述',
}

const statusMessages: Record<number, string> = {
  400: '提交的内容有误',
  401: '用户名或密码错误',
  403: '无权办理此业务（不在本人的办理范围内，或本人已办理过该件的初审）',
  404: '未找到该业务',
  409: '该件已不在此审核环节，可能已被他人办理',
  429: '操作过于频繁，请稍后再试',
}

/** The API's messages are English; the ones a reviewer meets most often, in Chinese. */
const messages: Record<string, string> = {
  'An opinion is required to reject.': '不予通过时必须填写审核意见',
  'At most 1000 characters.': '不能超过 1000 个字',
  "Must be 'approve' or 'reject'.": '请选择通过或不予通过',
  'Username and password are required.': '请输入用户名和密码',
  'The event date is in the future.': '发生日期不能晚于今天',
  'Required, as YYYY-MM-DD.': '必填，格式为 YYYY-MM-DD',
  '12 to 30 digits.': '银行账号为 12 至 30 位数字',
}

export function fieldName(path: string): string {
  return fieldNames[path] ?? path
}

/** One line a person can act on: the field named and what is wrong with it, or what the status means. */
export function describeProblem(status: number, problem: Problem | null): string {
  const errors = Object.entries(problem?.errors ?? {})
  if (errors.length > 0)
    return errors.map(([field, list]) => `${fieldName(field)}：${list.map((m) => messages[m] ?? m).join('；')}`).join('\n')
  const known = statusMessages[status]
  if (known) return known
  if (status >= 500) return `服务暂时不可用（${status}），请稍后再试`
  return problem?.detail ?? problem?.title ?? `请求失败（${status}）`
}

/** The problem's field errors by the API's field path, each in the reviewer's words where the console knows them. */
export function fieldErrors(problem: Problem | null): Record<string, string> {
  return Object.fromEntries(
    Object.entries(problem?.errors ?? {}).map(([field, list]) => [field, list.map((m) => messages[m] ?? m).join('；')]),
  )
}

/** What to show for a failure the console did not expect: the error's own message (an ApiError's is in Chinese already). */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}
