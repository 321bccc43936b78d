/**
 * Stop reports (就近报告, POST /applications/{id}/events): the event kinds, and the API's checks done in the form first
 * (Review/ReportEvent.cs, Domain/Claims/DeathReport.cs, Identifiers/PersonName.cs, MobileNumber.cs, BankAccountNumber.cs),
 * keyed by the same field paths the API's problem+json uses, so its answers land next to the same fields.
 */

/** The events that end benefit (失业保险条例 art. 15), as Domain/Claims/StopEvents.cs words them. */
export const stopEventNames: Record<string, string> = {
  reemployed: '重新就业',
  died: '死亡',
  'pension-started': '开始领取基本养老金',
  enlisted: '应征服兵役',
  emigrated: '移居境外',
  imprisoned: '被判刑收监执行',
  'refused-job': '无正当理由拒不接受介绍的工作或培训',
}

/** How the reporting relative is related to the deceased (Domain/Claims/DeathReport.cs, Relationships). */
export const relationshipNames: Record<string, string> = {
  spouse: '配偶',
  child: '子女',
  parent: '父母',
  sibling: '兄弟姐妹',
  grandparent: '祖父母、外祖父母',
  grandchild: '孙子女、外孙子女',
  other: '其他近亲属',
}

export const maxDependants = 20

export interface StopReportForm {
  type: string
  /** YYYY-MM-DD */
  date: string
  dependants: number
  reporterName: string
  reporterRelationship: string
  reporterMobile: string
  /** Whether the family gives an account for the death benefits. */
  payeeGiven: boolean
  /** Empty: the reporter holds the account. */
  payeeName: string
  payeeBankAccount: string
}

export function emptyStopReport(): StopReportForm {
  return {
    type: '',
    date: '',
    dependants: 1,
    reporterName: '',
    reporterRelationship: '',
    reporterMobile: '',
    payeeGiven: false,
    payeeName: '',
    payeeBankAccount: '',
  }
}

/** What the entitlement being stopped allows: the event lies between its first day and today (China's date). */
export interface StopBounds {
  /** YYYY-MM, the entitlement's first month. */
  startMonth: string
  /** YYYY-MM-DD */
  today: string
}

const dotVariants = /[.\u0387\u1427\u16EB\u2022\u2024\u2027\u2219\u22C5\u2E31\u30FB\u318D\uA78F\uFF0E\uFF65]/gu

/** A name as the API reads it: dot look-alikes become U+00B7, spaces trimmed and collapsed, none beside a dot. */
export function normalizeName(value: string): string {
  return value
    .replace(/[\u200B\u2060\uFEFF\u00AD]/gu, '')
    .replace(dotVariants, '·')
    .trim()
    .replace(/\s+/gu, ' ')
    .replace(/ ?· ?/gu, '·')
}

/** Why a name would be refused (PersonName.Validate), or null. */
export function nameError(value: string): string | null {
  const name = normalizeName(value)
  const characters = [...name]
  if (characters.length === 0) return '必填'
  if (characters.length > 64) return '不能超过 64 个字'
  if (/\p{Nd}/u.test(name)) return '不能含有数字'
  const letter = /^[\p{L}\p{M}\p{Nl}\p{Co}]$/u
  if (characters.some((c) => !letter.test(c) && !['·', ' ', '-', "'"].includes(c))) return '含有不能用于姓名的字符'
  if (!letter.test(characters[0]!) || !letter.test(characters[characters.length - 1]!)) return '须以文字开头和结尾'
  return null
}

/** A mobile as MobileNumber.TryNormalize reads it: the 11 digits, or null when it is not one. */
export function normalizeMobile(value: string): string | null {
  const digits = value.normalize('NFKC').replace(/[\s\p{Pd}\p{Cf}]/gu, '')
  return /^(?:\+86|0086|86)?(1[3-9][0-9]{9})$/u.exec(digits)?.[1] ?? null
}

/** A bank account as BankAccountNumber.TryNormalize reads it: 12 to 30 digits, or null. */
export function normalizeBankAccount(value: string): string | null {
  const digits = value.normalize('NFKC').replace(/\s/gu, '')
  return /^[0-9]{12,30}$/u.test(digits) ? digits : null
}

/** Every problem with the form, by the API's field path; empty when the API will take it. */
export function stopReportErrors(form: StopReportForm, bounds: StopBounds): Record<string, string> {
  const errors: Record<string, string> = {}
  if (!stopEventNames[form.type]) errors.type = '请选择报告事项'
  if (!/^\d{4}-\d{2}-\d{2}$/u.test(form.date)) errors.date = '请选择发生日期'
  else if (form.date > bounds.today) errors.date = '发生日期不能晚于今天'
  else if (form.date < `${bounds.startMonth}-01`) errors.date = `发生日期不能早于待遇起始月（${bounds.startMonth}）`
  if (form.type !== 'died') return errors
  if (!Number.isInteger(form.dependants) || form.dependants < 0 || form.dependants > maxDependants)
    errors.dependants = `供养亲属人数为 0 至 ${maxDependants}`
  const reporterName = nameError(form.reporterName)
  if (reporterName) errors['reporter.name'] = `报告人姓名：${reporterName}`
  if (!relationshipNames[form.reporterRelationship]) errors['reporter.relationship'] = '请选择与逝者的关系'
  if (!normalizeMobile(form.reporterMobile)) errors['reporter.mobile'] = '请填写 11 位手机号（可带 +86）'
  if (form.payeeGiven) {
    const holder = form.payeeName.trim() === '' ? null : nameError(form.payeeName)
    if (holder) errors['payee.name'] = `户名：${holder}`
    if (!normalizeBankAccount(form.payeeBankAccount)) errors['payee.bankAccount'] = '银行账号为 12 至 30 位数字'
  }
  return errors
}

/** The request body: a death carries the reporter, dependants and (when given) the family's account; other events none. */
export function stopReportRequest(form: StopReportForm): Record<string, unknown> {
  const body: Record<string, unknown> = { type: form.type, date: form.date }
  if (form.type !== 'died') return body
  body.dependants = form.dependants
  body.reporter = { name: form.reporterName, relationship: form.reporterRelationship, mobile: form.reporterMobile }
  if (form.payeeGiven)
    body.payee = { ...(form.payeeName.trim() ? { name: form.payeeName } : {}), bankAccount: form.payeeBankAccount }
  return body
}

/** Whether an application's status lets a stop be reported (an active or suspended entitlement). */
export function canStop(status: string): boolean {
  return status === 'approved' || status === 'suspended'
}

export type LookupKind = 'caseNumber' | 'idNumber'

/**
 * The lookup's request body (POST /applications/lookup): a case number as typed, or an identity number with spaces and
 * full-width forms folded as the API would fold them; null when nothing was typed.
 */
export function lookupRequest(kind: LookupKind, text: string): { idNumber: string } | { caseNumber: string } | null {
  const trimmed = text.trim()
  if (!trimmed) return null
  if (kind === 'caseNumber') return { caseNumber: trimmed }
  return { idNumber: trimmed.normalize('NFKC').replace(/[\s\p{Cf}]/gu, '').toUpperCase() }
}
