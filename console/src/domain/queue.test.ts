import { describe, expect, it } from 'vitest'
import { oldestFirst, overdueCount } from './queue'
import type { QueueEntry } from '../api/types'

const entry = (caseNumber: string, receivedAt: string, overdue = false): QueueEntry => ({
  applicationId: caseNumber,
  caseNumber,
  status: 'first-review',
  receivedAt,
  dueAt: null,
  overdue,
})

describe('queue', () => {
  it('puts the oldest case first, whatever the offsets', () => {
    const sorted = oldestFirst([entry('b', '2026-11-03T09:00:00+08:00'), entry('a', '2026-11-03T00:30:00Z')])
    expect(sorted.map((e) => e.caseNumber)).toEqual(['a', 'b'])
  })

  it('counts the overdue cases', () => {
    expect(overdueCount([entry('a', '2026-11-01T00:00:00Z', true), entry('b', '2026-11-02T00:00:00Z')])).toBe(1)
  })
})
