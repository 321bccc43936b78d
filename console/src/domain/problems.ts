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
  date: '日期',
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
  reviewers: '审核人数',
  offices: '各经办机构',
  stopDate: '停发日期',
  statement: '异议陈述',
  status: '状态',
  period: '发放月份',
  amount: '还款金额',
  reference: '收款凭证号',
  instalments: '分期期数',
  serviceItem: '服务事项',
  from: '起始月份',
  to: '结束月份',
  city: '城市',
  limit: '条数',
}

/** What a status means when the problem says no more than the status. */
const statusMessages: Record<number, string> = {
  400: '提交的内容有误',
  401: '用户名或密码错误',
  403: '无权办理此业务（不在本人的办理范围内，或本人已办理过该件的初审）',
  404: '未找到该业务',
  409: '该业务的状态已有变化，不能这样办理，请刷新后查看',
  413: '提交的内容或文件超过大小上限',
  415: '提交的格式不对，请刷新页面后重试',
  429: '操作过于频繁，请稍后再试',
}

/**
 * Each refusal by its machine-readable `code` (the API's RefusalCode, functions/Tongban.Domain/Claims/RefusalCode.cs), in
 * the reviewer's words. A problem without a code, or with one the console does not know yet, falls back to its detail.
 * The refusals that name a field (a stop event's date or type, a match's stop date, the reporting relative) come as field
 * errors, which say more than their code (the field, the dates): they are shown by those, so they have no row here.
 */
const refusals: Record<string, string> = {
  // Review (初审、复核)
  'not-at-stage': '该件已不在此审核环节，可能已被他人办理',
  'not-being-paid': '只有已核准或暂停发放的申请才能办理此项，该件当前不在发放中',
  'not-suspended': '该件当前不在暂停发放中',
  'not-waiting-for-review': '该件已不在待审核状态，不能这样办理',
  'not-rejected-by-verification': '只有自动核验未通过的申请才能重新核验',
  'insuring-city-outside-province': '该件的参保地不在本省，无法办理',
  'no-benefit-standard': '参保地尚无现行的失业保险金标准',
  'not-assigned-office': '该件的初审由承办经办机构办理，不在本人的办理范围内',
  'not-insuring-city': '该件由参保地的审核员和主管办理，不在本人的办理范围内',
  'outside-case-scope': '只有受理、承办经办机构或参保地的工作人员可以查看',
  'first-reviewer-may-not-final-review': '办理初审的人员不能再办理该件的复核',
  'not-a-reviewer': '只有审核员和主管可以审核申请',
  'opinion-required': '必须填写审核意见',
  // Cross-province checks (跨省比对)
  'already-decided': '该比对疑点已经处理，不能再处理或提出异议',
  'contest-period-ended': '异议期已经结束',
  'matches-for-reviewers': '比对疑点只由参保地的审核员和主管查看',
  'not-office-staff': '异议陈述由经办机构的工作人员录入',
  // Supervision (主管：人手安排、改派) and the dashboard
  'not-city-supervisor': '只有本市的主管可以使用，且仅限本市',
  'case-outside-city': '该件不在本市的经办机构，不能改派',
  'office-outside-city': '该经办机构不属于本市',
  'already-assigned': '该件已在该经办机构（和审核人员）名下',
  'dashboard-not-allowed': '数据看板仅供主管和管理员使用',
  // Intake, concurrency, payouts and recovery (受理、发放、追回)
  'concurrent-change': '该件刚被他人改动，请刷新后重试',
  'open-application-exists': '此人已有一件同一事项的申请正在办理，不能重复申请',
  'payment-not-flagged': '该笔支付不是待人工处理的退回支付（可能已重新发放）',
  'repayment-already-recorded': '该凭证号的还款已经登记过',
  'recovery-case-not-open': '该追回案件不存在或已结清',
}

/** The API's messages (field errors and details) word for word, in the reviewer's Chinese. */
const messages: Record<string, string> = {
  // Sign-in and access
  'Username and password are required.': '请输入用户名和密码',
  'Unknown username or wrong password.': '用户名或密码错误',
  'The credentials sent are unknown or expired: staff get a new token from POST /api/v1/auth/token; portals check their X-Api-Key.':
    '登录已失效，请重新登录',
  'Sign in first: staff send Authorization: Bearer <token> (from POST /api/v1/auth/token), portals send X-Api-Key.': '请先登录',
  "Your account's role may not use this endpoint (administrator endpoints are for administrators only).": '本账号的角色无权使用此功能',
  'The request body exceeds the limit for this endpoint.': '提交的内容或文件超过大小上限',
  'Send the body as application/json.': '提交的格式不对，请刷新页面后重试',
  'Send the file as text/csv.': '请上传 CSV 文件（text/csv）',
  'A JSON object is required.': '提交的内容有误，请刷新页面后重试',
  'Must be a string.': '应为文字',
  'Must be true or false.': '应为是或否',
  'Must be a whole number of at most 9 digits.': '应为整数（不超过 9 位）',
  'Must be a whole number of at most 18 digits.': '应为整数（不超过 18 位）',
  'Must be a number of at most 28 digits.': '应为数字（不超过 28 位）',
  'Must be a date (yyyy-MM-dd).': '应为日期（YYYY-MM-DD）',
  'Must be a date and time (ISO 8601).': '应为日期和时间',
  'Must be an array.': '应为列表',
  'Must be an object.': '格式不对',
  'Must be a value of the documented type, or null.': '格式不对',
  // Review (初审、复核)
  "Must be 'first-review' or 'final-review'.": '审核阶段应为初审或复核',
  "Must be 'approve' or 'reject'.": '请选择通过或不予通过',
  'An opinion is required to reject.': '不予通过时必须填写审核意见',
  'An opinion is required.': '必须填写意见',
  // Stop events (停发报告)
  'Required.': '必填',
  'Required, as YYYY-MM-DD.': '必填，格式为 YYYY-MM-DD',
  'Not a real date, as YYYY-MM-DD.': '不是有效日期，格式为 YYYY-MM-DD',
  'As YYYY-MM-DD.': '格式为 YYYY-MM-DD',
  'The event date is in the future.': '发生日期不能晚于今天',
  "Required for type 'died': the relative reporting the death (name, relationship, mobile).":
    '报告死亡时必须填写报告人（姓名、与逝者关系、手机号）',
  "Only for type 'died'.": '仅在报告死亡时填写',
  'A death is reported by a relative: their name, relationship and mobile are required.':
    '死亡须由亲属报告：必须填写其姓名、与逝者关系和手机号',
  "The reporting relative's mobile: 11 digits from 13 to 19, optionally after +86, 0086 or 86.":
    '报告人手机号应为 13 至 19 开头的 11 位数字，前面可带 +86、0086 或 86',
  '12 to 30 digits.': '银行账号为 12 至 30 位数字',
  // Names and identity numbers, as the messages above quote them
  required: '必填',
  'must not contain digits': '不能含有数字',
  'must begin and end with a letter': '须以文字开头和结尾',
  'must be 18 characters': '应为 18 位',
  'the first 17 characters must be digits': '前 17 位须为数字',
  'the last character must be a digit or X': '最后一位须为数字或 X',
  'the check character (the last) does not match the other 17': '校验位（最后一位）与前 17 位不符，请核对号码',
  // Cross-province checks (跨省比对)
  "Must be 'open', 'escalated' or 'decided'.": '状态应为待核查、已报主管或已处理',
  "Must be 'confirm' or 'dismiss'.": '请选择属实或不属实',
  'Required: why the match is confirmed or dismissed.': '请填写核查意见：认定属实或不属实的理由',
  'Required to confirm, as YYYY-MM-DD.': '认定属实时必须填写停发日期，格式为 YYYY-MM-DD',
  "Only with 'confirm'.": '仅在认定属实时填写',
  'Required: what the recipient says.': '请填写领取人的陈述',
  'The stop date is in the future.': '停发日期不能晚于今天',
  "A death is reported by the family (stop event 'died' with the reporting relative); confirm the match after that.":
    '死亡须由家属报告（在停发报告中选择“死亡”并填写报告人），之后再认定该比对疑点属实',
  // Payouts and recovery (发放、追回)
  'Required, as YYYY-MM.': '必填，格式为 YYYY-MM',
  'Not a month from 1900-01 on, as YYYY-MM.': '不是有效月份（1900-01 起），格式为 YYYY-MM',
  'The month has not begun: a month is paid from its first day on.': '该月尚未开始：每月从当月 1 日起才能发放',
  'open or recovered.': '状态应为追回中或已追回',
  'A positive amount in yuan, at most two decimals and at most 10,000,000.': '应为大于 0 的金额（元），最多两位小数，且不超过 10,000,000',
  'The receipt reference of the repayment, 1 to 64 characters.': '请输入收款凭证号（1 至 64 个字符）',
  'More than is still owed on this case (or the case is settled).': '超过该案件尚欠的金额（或案件已结清）',
  '2 to 36 monthly instalments.': '分期应为 2 至 36 个月',
  '1 to 500.': '应为 1 至 500',
  "Give either flagged=true (the payments waiting for staff) or reference (a bank file's reference).":
    '请按“待人工处理”或按银行文件的支付编号查询，二者选一',
  // Supervision: staffing and reassignment (主管：人手安排、改派)
  'Required: at least one office and its reviewers.': '请至少填写一个经办机构及其在岗审核人数',
  'No such office in this province.': '本省没有该经办机构',
  'Given twice.': '重复填写',
  'Required: the office code, e.g. 460100-02.': '请填写经办机构代码，如 460100-02',
  // Dashboard, lookup and personal data
  'Expected a month, YYYY-MM.': '应为月份，格式为 YYYY-MM',
  'The first month comes after the last (to).': '起始月份晚于结束月份',
  'Give a case number (caseNumber) or an identity number (idNumber).': '请输入业务编号或证件号码',
  'Give either a case number or an identity number (idNumber), not both.': '业务编号和证件号码只填其中一项',
  'State why the full values are needed (2 to 200 characters).': '请说明查看完整信息的理由（2 至 200 个字）',
}

/** Messages that carry a value (a status, a date, a limit, a code): the pattern, and the Chinese made from what it captured. */
const patterns: [RegExp, (...captured: string[]) => string][] = [
  [/^At most (\d+) characters\.$/, (n) => `不能超过 ${n} 个字`],
  [/^at most (\d+) characters$/, (n) => `不能超过 ${n} 个字`],
  [/^must not contain U\+([0-9A-F]+)$/, (c) => `不能含有字符“${String.fromCodePoint(parseInt(c, 16))}”（U+${c}）`],
  [/^Unknown event type '(.*)'\.$/s, (t) => `未知的报告事项“${t}”`],
  [/^The event date is before the benefit began \((\d{4}-\d{2}-\d{2})\); a claim that should not have been approved is revoked, not stopped\.$/,
    (d) => `发生日期早于待遇开始日期（${d}）；不应核准的申请应予撤销，而不是停发`],
  [/^Only for type 'died': the number of dependants, 0 to (\d+)\.$/, (n) => `仅在报告死亡时填写：供养亲属人数，0 至 ${n}`],
  [/^The number of dependants, 0 to (\d+)\.$/, (n) => `供养亲属人数应为 0 至 ${n}`],
  [/^The reporting relative's name: (.*)\.$/s, (m) => `报告人姓名${translate(m)}`],
  [/^The account holder's name: (.*)\.$/s, (m) => `户名${translate(m)}`],
  [/^The identity number: (.*)\.$/s, (m) => `证件号码${translate(m)}`],
  [/^the birth date (\d{4}-\d{2}-\d{2}) \(characters 7 to 14\) is not a real date$/, (d) => `出生日期 ${d}（第 7 至 14 位）不是有效日期`],
  [/^the birth date (\d{4}-\d{2}-\d{2}) \(characters 7 to 14\) is before 1900$/, (d) => `出生日期 ${d}（第 7 至 14 位）早于 1900 年`],
  [/^the birth date (\d{4}-\d{2}-\d{2}) \(characters 7 to 14\) is in the future$/, (d) => `出生日期 ${d}（第 7 至 14 位）晚于今天`],
  [/^The stop date must lie within the entitlement \((\d{4}-\d{2}-\d{2}) to (\d{4}-\d{2}-\d{2})\)\.$/,
    (from, to) => `停发日期须在待遇期内（${from} 至 ${to}）`],
  [/^Before (\d{4}-\d{2}), the first month with a benefit standard in force: nothing can be paid for it\.$/,
    (m) => `早于 ${m}（首个有失业保险金标准的月份），该月没有可发放的待遇`],
  [/^From today \((\d{4}-\d{2}-\d{2})\) to (\d+) days ahead: past days' staffing stays as it was\.$/,
    (d, n) => `只能安排今天（${d}）至之后 ${n} 天的人手，过去的安排保持不变`],
  [/^Required: 0 to (\d+)\.$/, (n) => `必填，0 至 ${n}`],
  [/^Too many wrong passwords for this account: try again in (\d+) minutes\.$/, (n) => `该账号密码错误次数过多，请 ${n} 分钟后再试`],
  [/^At most this month \((\d{4}-\d{2})\): later months have nothing yet\.$/, (m) => `最晚只能选到本月（${m}）`],
  [/^From (\d{4}-\d{2}) on \(the Unemployment Insurance Regulations of 1999\)\.$/, (m) => `最早只能从 ${m} 起`],
  [/^No office (.+) in this province\.$/, (o) => `本省没有经办机构 ${o}`],
  [/^No reviewer (.+) at office (.+)\.$/, (r, o) => `经办机构 ${o} 没有审核人员 ${r}`],
  [/^At most (\d+) months at a time\.$/, (n) => `一次最多查询 ${n} 个月`],
  [/^No city (.+) in (.+)\.$/, (c, p) => `${p}没有城市 ${c}`],
  [/^One of: (.*) \(the subsidy only where Outreach:IncludeSubsidy is set\)\.$/s,
    (items) => `应为以下之一：${items}（失业补助金须在配置中开启 Outreach:IncludeSubsidy）`],
  [/^One of: (.*)\.$/s, (items) => `应为以下之一：${items}`],
  // A CSV file refused whole (registry, bank return file): the header, or the encoding.
  [/^The first line must be the header(?: reference,status,reason)?; it lacks: (.*)\.$/s, (c) => `第一行须为列名行，缺少列：${c}`],
  [/^The header has columns the contract does not: (.*); the columns are (.*)\.$/s,
    (extra, all) => `列名行有接口约定之外的列：${extra}；应为 ${all}`],
  [/^The header names a column twice: (.*)\.$/s, (c) => `列名行中有重复的列：${c}`],
  [/^The header cannot be read: (.*)$/s, (why) => `无法读取列名行：${why}`],
  [/^The file must be UTF-8, and it has bytes that are not \(0x([0-9A-F]+)\): save it as UTF-8 and import it again\.$/,
    (b) => `文件须为 UTF-8 编码，其中有不是 UTF-8 的字节（0x${b}）：请另存为 UTF-8 后重新导入`],
  [/^The file must be UTF-8 \(text\/csv; charset=utf-8\), not (.+): save it as UTF-8 and send it again\.$/,
    (c) => `文件须为 UTF-8 编码（而不是 ${c}）：请另存为 UTF-8 后重新导入`],
  [/^Not valid JSON: /, () => '提交的内容有误，请刷新页面后重试'],
]

/** The API's message in Chinese, or null when the console does not know it. */
function known(message: string): string | null {
  const exact = messages[message]
  if (exact !== undefined) return exact
  for (const [pattern, chinese] of patterns) {
    const match = pattern.exec(message)
    if (match) return chinese(...match.slice(1))
  }
  return null
}

/** A refusal's words by its code (the same the console shows when the API refuses), for the console to say it first. */
export function refusalWords(code: string): string {
  return refusals[code] ?? code
}

/** The API's message in Chinese where the console knows it; otherwise as the API gave it. */
export function translate(message: string): string {
  return known(message) ?? message
}

export function fieldName(path: string): string {
  const item = /^(\w+)\[(\d+)\]\.(\w+)$/.exec(path)
  if (item) return `${fieldName(item[1]!)}第 ${Number(item[2]) + 1} 项的${fieldName(item[3]!)}`
  return fieldNames[path] ?? path
}

/** A field error as a line: the field named, unless the error is the request's as a whole (`$`). */
function fieldLine(field: string, list: string[]): string {
  const text = list.map(translate).join('；')
  return field === '$' ? text : `${fieldName(field)}：${text}`
}

/**
 * One line a person can act on: the field named and what is wrong with it (field errors say more than any code), or what
 * the problem means — by its code, else by its detail, else by its status.
 */
export function describeProblem(status: number, problem: Problem | null): string {
  const errors = Object.entries(problem?.errors ?? {})
  if (errors.length > 0) return errors.map(([field, list]) => fieldLine(field, list)).join('\n')
  const refusal = problem?.code ? refusals[problem.code] : undefined
  if (refusal) return refusal
  const detail = problem?.detail ? known(problem.detail) : null
  if (detail) return detail
  const general = statusMessages[status]
  if (general) return general
  if (status >= 500) return `服务暂时不可用（${status}），请稍后再试`
  return problem?.detail ?? problem?.title ?? `请求失败（${status}）`
}

/** The problem's field errors by the API's field path, each in the reviewer's words where the console knows them. */
export function fieldErrors(problem: Problem | null): Record<string, string> {
  return Object.fromEntries(Object.entries(problem?.errors ?? {}).map(([field, list]) => [field, list.map(translate).join('；')]))
}

/** What to show for a failure the console did not expect: the error's own message (an ApiError's is in Chinese already). */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}
