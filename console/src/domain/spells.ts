import type { Spell } from '../api/types'

function monthIndex(month: string): number {
  const [year, m] = month.split('-').map(Number)
  return year * 12 + m - 1
}

/** Months a spell covers, both ends counted; a spell still open runs to the current month. */
export function spellMonths(spell: Pick<Spell, 'startMonth' | 'endMonth'>, currentMonth: string): number {
  return Math.max(0, monthIndex(spell.endMonth ?? currentMonth) - monthIndex(spell.startMonth) + 1)
}

/** The current month in China (YYYY-MM), whatever the browser's time zone. */
export function chinaMonth(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(now)
}
