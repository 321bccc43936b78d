import { describe, expect, it } from 'vitest'
import { workflowSubject } from './workflows'

describe('workflows', () => {
  it('tells payout runs from claims by the instance id', () => {
    expect(workflowSubject('payout-2026-11-monthly')).toBe('2026年11月 月度发放批次')
    expect(workflowSubject('payout-2026-03-supplementary-2')).toBe('2026年3月 第2次补发批次')
    expect(workflowSubject('6f1c2a9e-3b7d-4c1e-9a2b-0d5e8f7a6b3c')).toBe('申请办理流程')
  })
})
