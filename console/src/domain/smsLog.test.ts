import { describe, expect, it } from 'vitest'
import { applicationIdProblem, deliverySummary } from './smsLog'

describe('SMS log', () => {
  it('counts messages by delivery status, known states first', () => {
    expect(deliverySummary(['sent', 'queued', 'sent', 'bounced', 'sending'])).toBe('共 5 条：待发送 1 条，发送中 1 条，已发送 2 条，bounced 1 条')
    expect(deliverySummary([])).toBe('共 0 条')
  })

  it('takes a blank filter or an application id, and refuses anything else', () => {
    expect(applicationIdProblem('  ')).toBeNull()
    expect(applicationIdProblem('6f1c2a9e-3b7d-4c1e-9a2b-0d5e8f7a6b3c')).toBeNull()
    expect(applicationIdProblem('4620261201YFTVXAXA')).toBe('申请编号格式不正确（应为 36 位的申请 ID）')
  })
})
