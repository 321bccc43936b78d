import { describe, expect, it } from 'vitest'
import {
  emptyStopReport,
  lookupRequest,
  nameError,
  normalizeMobile,
  stopReportErrors,
  stopReportRequest,
  type StopReportForm,
} from './stops'

const bounds = { startMonth: '2026-10', today: '2026-11-30' }
const report = (changes: Partial<StopReportForm>): StopReportForm => ({ ...emptyStopReport(), ...changes })
const death = (changes: Partial<StopReportForm> = {}) =>
  report({
    type: 'died',
    date: '2026-11-02',
    dependants: 2,
    reporterName: '王丽',
    reporterRelationship: 'child',
    reporterMobile: '+86 139-0898-7766',
    ...changes,
  })

describe('stopReportErrors', () => {
  it('takes a re-employment dated within the entitlement', () => {
    expect(stopReportErrors(report({ type: 'reemployed', date: '2026-10-01' }), bounds)).toEqual({})
  })

  it('names the type and the date when they are missing', () => {
    expect(Object.keys(stopReportErrors(emptyStopReport(), bounds))).toEqual(['type', 'date'])
  })

  it('refuses a date in the future or before the entitlement began', () => {
    expect(stopReportErrors(report({ type: 'enlisted', date: '2026-12-01' }), bounds).date).toBe('发生日期不能晚于今天')
    expect(stopReportErrors(report({ type: 'enlisted', date: '2026-09-30' }), bounds).date).toContain('2026-10')
  })

  it('takes a death reported by a relative, the mobile written with +86 and hyphens', () => {
    expect(stopReportErrors(death(), bounds)).toEqual({})
  })

  it('names each bad field of a death report by the API field path', () => {
    const errors = stopReportErrors(
      death({ reporterName: '王1', reporterRelationship: '', reporterMobile: '12345', dependants: 21, payeeGiven: true, payeeBankAccount: '6222' }),
      bounds,
    )
    expect(Object.keys(errors).sort()).toEqual(['dependants', 'payee.bankAccount', 'reporter.mobile', 'reporter.name', 'reporter.relationship'])
    expect(errors['reporter.name']).toContain('数字')
  })

  it('asks nothing of the reporter for other events', () => {
    expect(stopReportErrors(report({ type: 'emigrated', date: '2026-11-01', reporterMobile: 'bad' }), bounds)).toEqual({})
  })
})

describe('names and mobiles as the API reads them', () => {
  it('accepts a Uyghur name keyed with a bullet for the middle dot, and a name outside the BMP', () => {
    expect(nameError('阿依古丽 • 买买提')).toBeNull()
    expect(nameError('𠮷野')).toBeNull()
  })

  it('refuses a name ending in a dot', () => {
    expect(nameError('王丽·')).toBe('须以文字开头和结尾')
  })

  it('folds full-width digits and the 0086 prefix', () => {
    expect(normalizeMobile('0086 １３９０８９８７７６６')).toBe('13908987766')
    expect(normalizeMobile('12908987766')).toBeNull()
  })
})

describe('stopReportRequest', () => {
  it('sends only type and date for other events', () => {
    expect(stopReportRequest(report({ type: 'reemployed', date: '2026-11-01', reporterName: '王丽' }))).toEqual({
      type: 'reemployed',
      date: '2026-11-01',
    })
  })

  it('sends the reporter, dependants and the account, leaving the holder to the API when not given', () => {
    expect(stopReportRequest(death({ payeeGiven: true, payeeBankAccount: '6222024061842962480' }))).toEqual({
      type: 'died',
      date: '2026-11-02',
      dependants: 2,
      reporter: { name: '王丽', relationship: 'child', mobile: '+86 139-0898-7766' },
      payee: { bankAccount: '6222024061842962480' },
    })
  })
})

describe('lookupRequest', () => {
  it('folds an identity number typed in full-width with spaces', () => {
    expect(lookupRequest('idNumber', '４６０２００ １９８５０３１５ ４０１x')).toEqual({ idNumber: '46020019850315401X' })
  })

  it('sends a case number as typed, and nothing for an empty box', () => {
    expect(lookupRequest('caseNumber', ' 4620261130ABCD1234 ')).toEqual({ caseNumber: '4620261130ABCD1234' })
    expect(lookupRequest('caseNumber', '  ')).toBeNull()
  })
})
