import { describe, expect, it } from 'vitest'
import { campaignKind, campaignRates, campaignRunning, deliveryReportName, undeliveredReason } from './outreach'

describe('outreach campaigns', () => {
  it('names a monthly campaign by its month and one started by hand as such', () => {
    expect(campaignKind({ period: '2026-11' })).toBe('2026年11月（每月自动）')
    expect(campaignKind({ period: null })).toBe('手动发起')
  })

  it('gives delivery of what was sent and uptake of who was found, as whole percentages', () => {
    expect(campaignRates({ found: 200, sent: 190, delivered: 171, appliedSince: 25 })).toEqual({ delivery: '90%', uptake: '13%' })
    expect(campaignRates({ found: 0, sent: 0, delivered: 0, appliedSince: 0 })).toEqual({ delivery: '—', uptake: '—' })
  })

  it('is running while any campaign is finding or sending', () => {
    expect(campaignRunning([{ status: 'completed' }, { status: 'sending' }])).toBe(true)
    expect(campaignRunning([{ status: 'completed' }])).toBe(false)
  })
})

describe('undelivered SMS', () => {
  it('says why a message is listed: the report with its detail, or no report', () => {
    expect(undeliveredReason({ deliveryStatus: 'failed', deliveryDetail: 'No route to destination' })).toBe('发送失败：No route to destination')
    expect(undeliveredReason({ deliveryStatus: null, deliveryDetail: null })).toBe('未收到送达回执')
    expect(undeliveredReason({ deliveryStatus: 'blocked', deliveryDetail: null })).toBe('未送达（blocked）')
  })

  it('names the delivery report in the SMS log', () => {
    expect(deliveryReportName('delivered')).toBe('已送达')
    expect(deliveryReportName('failed')).toBe('未送达')
    expect(deliveryReportName(null)).toBe('—')
  })
})
