import type { Problem } from '../api/types'

/** Field paths of the API in the words a reviewer uses. */
const fieldNames: Record<string, string> = {
  username: '用户名',
  password: '密码',
  decision: '审核结论',
  opinion: '审核意见',
  stage: '审核阶段',
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
