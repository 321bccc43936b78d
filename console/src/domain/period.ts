/** A period of whole months, both ends included, as the dashboard asks for it: YYYY-MM to YYYY-MM. */
export interface Period {
  from: string
  to: string
}

/** The longest period the dashboard API answers for (DashboardEndpoints.MaxMonths). */
export const maxMonths = 36

const monthPattern = /^(\d{4})-(0[1-9]|1[0-2])$/

function index(month: string): number {
  const match = monthPattern.exec(month)
  if (!match) throw new Error(`不是月份：${month}`)
  return Number(match[1]) * 12 + Number(match[2]) - 1
}

function fromIndex(i: number): string {
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`
}

export function isMonth(text: string): boolean {
  return monthPattern.test(text)
}

export function addMonths(month: string, months: number): string {
  return fromIndex(index(month) + months)
}

/** The month it is in China at that instant, whatever the browser's time zone. */
export function chinaMonth(at: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).formatToParts(at)
  return `${parts.find((p) => p.type === 'year')!.value}-${parts.find((p) => p.type === 'month')!.value}`
}

/** The periods offered with one click; the default is the last twelve months. */
export function presets(now: Date): { label: string; period: Period }[] {
  const month = chinaMonth(now)
  return [
    { label: '近12个月', period: { from: addMonths(month, -11), to: month } },
    { label: '本年', period: { from: `${month.slice(0, 4)}-01`, to: month } },
    { label: '本月', period: { from: month, to: month } },
    { label: '上月', period: { from: addMonths(month, -1), to: addMonths(month, -1) } },
  ]
}

export function defaultPeriod(now: Date): Period {
  return presets(now)[0].period
}

/** Every month of the period, in order. */
export function monthsOf(period: Period): string[] {
  const first = index(period.from)
  return Array.from({ length: index(period.to) - first + 1 }, (_, i) => fromIndex(first + i))
}

/** Why the period cannot be asked for, in words, or null when it can. */
export function periodProblem(period: Period): string | null {
  if (!isMonth(period.from) || !isMonth(period.to)) return '请选择起止月份'
  const months = index(period.to) - index(period.from) + 1
  if (months < 1) return '起始月份不能晚于截止月份'
  if (months > maxMonths) return `统计期间最长 ${maxMonths} 个月`
  return null
}

/** 2026年1月—2026年11月, or 2026年11月 for one month. */
export function periodLabel(period: Period): string {
  const words = (month: string) => `${month.slice(0, 4)}年${Number(month.slice(5))}月`
  return period.from === period.to ? words(period.from) : `${words(period.from)}—${words(period.to)}`
}

/** The period from a page's address (?from=&to=), or the default when it is missing or not a valid period. */
export function periodFromQuery(query: Record<string, unknown>, now: Date): Period {
  const from = typeof query.from === 'string' ? query.from : ''
  const to = typeof query.to === 'string' ? query.to : ''
  return periodProblem({ from, to }) === null ? { from, to } : defaultPeriod(now)
}
