import { describe, expect, it } from 'vitest'
import { describeProblem, fieldErrors, fieldName, translate } from './problems'

describe('describeProblem', () => {
  it('names the field in Chinese and translates the message', () => {
    expect(describeProblem(400, { status: 400, errors: { opinion: ['An opinion is required to reject.'] } })).toBe(
      '审核意见：不予通过时必须填写审核意见',
    )
  })

  it('keeps a field the console does not know by its path', () => {
    expect(describeProblem(400, { errors: { 'applicant.idNumber': ['校验码错误'] } })).toBe('applicant.idNumber：校验码错误')
  })

  it('names no field for a problem of the request as a whole', () => {
    // Registry/RegistryImport.cs, through RegistryEndpoints' Problems.Invalid("$", …).
    expect(describeProblem(400, { errors: { $: ['The header names a column twice: mobile.'] } })).toBe('列名行中有重复的列：mobile')
  })

  it('names an office of the staffing list by its place in the list', () => {
    expect(fieldName('offices[1].reviewers')).toBe('各经办机构第 2 项的审核人数')
  })

  it('explains a failed sign-in', () => {
    expect(describeProblem(401, null)).toBe('用户名或密码错误')
    expect(describeProblem(401, { title: 'Unauthorized', detail: 'Unknown username or wrong password.' })).toBe('用户名或密码错误')
    expect(describeProblem(429, { detail: 'Too many wrong passwords for this account: try again in 15 minutes.' })).toBe(
      '该账号密码错误次数过多，请 15 分钟后再试',
    )
  })

  it('says which months a dashboard can show', () => {
    expect(describeProblem(400, { errors: { to: ['At most this month (2026-12): later months have nothing yet.'] } })).toBe(
      '结束月份：最晚只能选到本月（2026-12）',
    )
  })

  it('says what a message the console does not know is, as the API gave it', () => {
    expect(describeProblem(418, { title: 'Teapot', detail: 'Something new.' })).toBe('Something new.')
  })
})

describe('a refusal says which it is by its code', () => {
  // As the API sends them: Hosting/Problems.cs writes the TransitionRefused's code beside the title "Refused" and its
  // detail; Payouts/PayoutEndpoints.cs and Intake/SubmitApplication.cs write theirs beside their own titles.
  const refused = (status: number, code: string, detail = 'Prose the console need not know.') =>
    describeProblem(status, { status, title: 'Refused', detail, code })

  it('is the review-stage message when the case has left that stage', () => {
    expect(refused(409, 'not-at-stage', 'The application is final-review, not first-review.')).toBe('该件已不在此审核环节，可能已被他人办理')
  })

  it('reads the code, not the English detail', () => {
    expect(refused(409, 'already-decided')).toBe('该比对疑点已经处理，不能再处理或提出异议')
    expect(refused(409, 'contest-period-ended')).toBe('异议期已经结束')
    expect(refused(409, 'not-being-paid')).toBe('只有已核准或暂停发放的申请才能办理此项，该件当前不在发放中')
    expect(refused(409, 'already-assigned')).toBe('该件已在该经办机构（和审核人员）名下')
  })

  it('has Chinese for every distinct 409 the API gives', () => {
    expect(describeProblem(409, { title: 'Concurrent change', code: 'concurrent-change' })).toBe('该件刚被他人改动，请刷新后重试')
    expect(describeProblem(409, { title: 'Open application exists', code: 'open-application-exists' })).toBe(
      '此人已有一件同一事项的申请正在办理，不能重复申请',
    )
    expect(describeProblem(409, { title: 'Not waiting for staff', code: 'payment-not-flagged' })).toBe(
      '该笔支付不是待人工处理的退回支付（可能已重新发放）',
    )
    expect(describeProblem(409, { title: 'Already recorded', code: 'repayment-already-recorded' })).toBe('该凭证号的还款已经登记过')
    expect(describeProblem(409, { title: 'Not open', code: 'recovery-case-not-open' })).toBe('该追回案件不存在或已结清')
  })

  it('says whose the case is for a 403 outside the scope of the caller', () => {
    expect(refused(403, 'not-assigned-office')).toBe('该件的初审由承办经办机构办理，不在本人的办理范围内')
    expect(refused(403, 'first-reviewer-may-not-final-review')).toBe('办理初审的人员不能再办理该件的复核')
    expect(refused(403, 'not-city-supervisor')).toBe('只有本市的主管可以使用，且仅限本市')
  })

  it('names the field of a refusal that names one, with the values its message carries', () => {
    expect(
      describeProblem(400, {
        status: 400,
        code: 'stop-date-outside-entitlement',
        errors: { stopDate: ['The stop date must lie within the entitlement (2026-03-01 to 2027-08-31).'] },
      }),
    ).toBe('停发日期：停发日期须在待遇期内（2026-03-01 至 2027-08-31）')
  })

  it('falls back to the detail for a code the console does not know yet, then to the status', () => {
    expect(refused(409, 'something-new', 'The stop date is in the future.')).toBe('停发日期不能晚于今天')
    expect(refused(409, 'something-new')).toBe('该业务的状态已有变化，不能这样办理，请刷新后查看')
    expect(refused(403, 'something-new')).toBe('无权办理此业务（不在本人的办理范围内，或本人已办理过该件的初审）')
  })
})

describe('translate', () => {
  it('has Chinese for messages as the validators word them', () => {
    // Review/ReportEvent.cs, CrossChecks/CrossCheckEndpoints.cs, Payouts/PayoutEndpoints.cs, Supervision/*.cs, Outreach.
    expect(translate("Required for type 'died': the relative reporting the death (name, relationship, mobile).")).toBe(
      '报告死亡时必须填写报告人（姓名、与逝者关系、手机号）',
    )
    expect(translate('Required to confirm, as YYYY-MM-DD.')).toBe('认定属实时必须填写停发日期，格式为 YYYY-MM-DD')
    expect(translate('More than is still owed on this case (or the case is settled).')).toBe('超过该案件尚欠的金额（或案件已结清）')
    expect(translate('The month has not begun: a month is paid from its first day on.')).toBe('该月尚未开始：每月从当月 1 日起才能发放')
    expect(translate('Required: at least one office and its reviewers.')).toBe('请至少填写一个经办机构及其在岗审核人数')
  })

  it('keeps the values of a message with values in it', () => {
    // Domain/Claims/ClaimWorkflow.cs, DeathReport.cs; Supervision/SupervisionEndpoints.cs; Payouts/PayoutEndpoints.cs.
    expect(
      translate(
        'The event date is before the benefit began (2026-03-01); a claim that should not have been approved is revoked, not stopped.',
      ),
    ).toBe('发生日期早于待遇开始日期（2026-03-01）；不应核准的申请应予撤销，而不是停发')
    expect(translate('The stop date must lie within the entitlement (2026-03-01 to 2027-08-31).')).toBe(
      '停发日期须在待遇期内（2026-03-01 至 2027-08-31）',
    )
    expect(translate("From today (2026-12-01) to 30 days ahead: past days' staffing stays as it was.")).toBe(
      '只能安排今天（2026-12-01）至之后 30 天的人手，过去的安排保持不变',
    )
    expect(translate('Before 2020-01, the first month with a benefit standard in force: nothing can be paid for it.')).toBe(
      '早于 2020-01（首个有失业保险金标准的月份），该月没有可发放的待遇',
    )
    expect(translate('At most 2000 characters.')).toBe('不能超过 2000 个字')
  })

  it('translates the reason a name or identity number gives inside the message quoting it', () => {
    expect(translate("The reporting relative's name: must not contain digits.")).toBe('报告人姓名不能含有数字')
    expect(translate('The identity number: the check character (the last) does not match the other 17.')).toBe(
      '证件号码校验位（最后一位）与前 17 位不符，请核对号码',
    )
  })

  it('leaves a message it does not know as it is', () => {
    expect(translate('Something new.')).toBe('Something new.')
  })
})

describe('fieldErrors', () => {
  it('keys each field error by its API path, translated where known', () => {
    expect(
      fieldErrors({ errors: { 'payee.bankAccount': ['12 to 30 digits.'], 'reporter.mobile': ['11 digits', 'from 13'] } }),
    ).toEqual({ 'payee.bankAccount': '银行账号为 12 至 30 位数字', 'reporter.mobile': '11 digits；from 13' })
  })

  it('is empty for a problem without field errors', () => {
    expect(fieldErrors({ status: 409 })).toEqual({})
  })
})
