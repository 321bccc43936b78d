import type { QueueEntry } from '../api/types'

/** 每日业务清零: the oldest case first, so nothing waits behind newer work. */
export function oldestFirst(entries: QueueEntry[]): QueueEntry[] {
  return [...entries].sort((a, b) => Date.parse(a.receivedAt) - Date.parse(b.receivedAt))
}

export function overdueCount(entries: QueueEntry[]): number {
  return entries.filter((entry) => entry.overdue).length
}
