using Tongban.Domain.Claims;
using Tongban.Domain.Entitlements;
using Tongban.Domain.Notifications;
using Tongban.Domain.Payouts;

namespace Tongban.Domain.Tests.Payouts;

public class PayoutMessagesTests
{
    private const string Account = "6217856100012345678";

    [Fact]
    public void The_payment_SMS_names_month_amount_and_only_the_last_four_digits_of_the_account()
    {
        var sms = SmsMessage.Paid(PaymentKind.Benefit, new YearMonth(2026, 11), 183000, 0, Account);

        Assert.Equal("paid", sms.Template);
        Assert.Contains("2026年11月的失业保险金1830.00元", sms.Body);
        Assert.Contains("尾号5678", sms.Body);
        Assert.DoesNotContain(Account, sms.Body);
        Assert.DoesNotContain(Account[..^4], sms.Body);
    }

    [Fact]
    public void A_deduction_is_stated_in_the_payment_SMS()
    {
        var sms = SmsMessage.Paid(PaymentKind.FuneralGrant, new YearMonth(2027, 1), 40000, 40000, Account);

        Assert.Contains("丧葬补助金400.00元", sms.Body);
        Assert.Contains("已抵扣应退回的多发待遇400.00元", sms.Body);
    }

    [Fact]
    public void The_overpayment_SMS_says_why_how_much_and_how_to_repay()
    {
        var sms = SmsMessage.Overpaid(new YearMonth(2027, 2), 183000, "重新就业");

        Assert.Contains("因重新就业", sms.Body);
        Assert.Contains("2027年2月", sms.Body);
        Assert.Contains("1830.00元", sms.Body);
        Assert.Contains("分期", sms.Body);
    }

    [Fact]
    public void Completion_follows_the_last_month_paid_of_an_approved_claim_only()
    {
        var approved = new Claim(Guid.NewGuid(), "HN-1", ServiceItems.UnemploymentBenefit, "online", ClaimStatus.Approved, null, "460200",
            "460200-01", "r1", new Entitlement(12, 183000, new YearMonth(2026, 1), new YearMonth(2026, 12)), null, 7);

        var t = ClaimWorkflow.Complete(approved);

        Assert.Equal(ClaimStatus.Completed, t.Claim.Status);
        Assert.Equal(8, t.Claim.Version);
        Assert.False(t.Claim.Status.IsOpen());
        Assert.Equal(["completed"], t.Events.Select(e => e.Type));
        Assert.Equal("completed", t.Sms.Single().Template);
        Assert.Contains("12个月已全部发放完毕", t.Sms.Single().Body);
        var refused = Assert.Throws<TransitionRefused>(() => ClaimWorkflow.Complete(approved with { Status = ClaimStatus.Terminated }));
        Assert.Equal((RefusalKind.Conflict, "not-at-stage"), (refused.Kind, refused.Code));
    }

    [Fact]
    public void A_death_records_the_familys_benefits_and_the_relationship_and_says_nothing_to_the_deceased()
    {
        var approved = new Claim(Guid.NewGuid(), "HN-2", ServiceItems.UnemploymentBenefit, "online", ClaimStatus.Approved, null, "460200",
            "460200-01", "r1", new Entitlement(12, 183000, new YearMonth(2026, 1), new YearMonth(2026, 12)), null, 7);
        var reporter = new StaffMember("460100-01-r1", StaffRole.Reviewer, "460100-01", "460100");
        var daughter = new Relative("王丽", "child", "13912345678");

        var t = ClaimWorkflow.ReportStop(approved, reporter, StopEvents.Died, new DateOnly(2026, 5, 3), new DateOnly(2026, 5, 6),
            () => new DeathBenefits(80000, 9, 9 * 183000), daughter);

        Assert.Equal("1647000", t.Events.Single().Data!["survivorsPensionFen"]);
        Assert.Equal("child", t.Events.Single().Data!["reporterRelationship"]);
        Assert.DoesNotContain(t.Events.Single().Data!.Values, v => v.Contains("王丽") || v.Contains("13912345678"));
        Assert.Empty(t.Sms);
        Assert.Throws<ArgumentException>(() => ClaimWorkflow.ReportStop(approved, reporter, "reemployed", new DateOnly(2026, 5, 3),
            new DateOnly(2026, 5, 6), () => new DeathBenefits(80000, 9, 1)));
        Assert.Throws<ArgumentException>(() => ClaimWorkflow.ReportStop(approved, reporter, "reemployed", new DateOnly(2026, 5, 3),
            new DateOnly(2026, 5, 6), relative: daughter));
    }

    [Fact]
    public void A_death_without_a_reporting_relative_is_refused()
    {
        var approved = new Claim(Guid.NewGuid(), "HN-3", ServiceItems.UnemploymentBenefit, "online", ClaimStatus.Approved, null, "460200",
            "460200-01", "r1", new Entitlement(12, 183000, new YearMonth(2026, 1), new YearMonth(2026, 12)), null, 7);
        var reporter = new StaffMember("460100-01-r1", StaffRole.Reviewer, "460100-01", "460100");

        var refused = Assert.Throws<TransitionRefused>(() => ClaimWorkflow.ReportStop(approved, reporter, StopEvents.Died,
            new DateOnly(2026, 5, 3), new DateOnly(2026, 5, 6), () => new DeathBenefits(80000, 9, 1)));
        Assert.Equal((RefusalKind.Invalid, "reporter-required", "reporter"), (refused.Kind, refused.Code, refused.Field));
    }

    [Fact]
    public void The_condolence_message_is_to_the_family_with_the_amounts_the_netting_and_the_account_they_gave()
    {
        var sms = SmsMessage.DeathBenefits("HN-4", new DeathBenefits(80000, 6, 6 * 183000), 183000, Account);

        Assert.True(sms.ToFamily);
        Assert.Equal("death-benefits", sms.Template);
        Assert.Contains("哀悼", sms.Body);
        Assert.Contains("丧葬补助金800.00元、抚恤金10980.00元", sms.Body);
        Assert.Contains("已扣多发1830.00元", sms.Body);
        Assert.Contains("尾号5678", sms.Body);
        Assert.DoesNotContain(Account[..^4], sms.Body);
        Assert.DoesNotContain("您的失业保险金", sms.Body);
    }

    [Fact]
    public void Without_an_account_from_the_family_the_condolence_message_says_where_the_money_goes_and_how_to_change_it()
    {
        var sms = SmsMessage.DeathBenefits("HN-5", new DeathBenefits(80000, 6, 6 * 183000), 0, payeeAccount: null);

        Assert.Contains("转入社保卡", sms.Body);
        Assert.Contains("提供账户", sms.Body);
        Assert.DoesNotContain("多发", sms.Body);
    }

    [Fact]
    public void Messages_after_a_death_are_worded_to_the_family_and_every_other_message_to_the_applicant()
    {
        Assert.True(SmsMessage.PaidFamily("HN-6", PaymentKind.SurvivorsPension, new YearMonth(2026, 12), 1098000, 0, Account).ToFamily);
        Assert.Contains("您家人（受理编号HN-6）的抚恤金10980.00元", SmsMessage.PaidFamily("HN-6", PaymentKind.SurvivorsPension,
            new YearMonth(2026, 12), 1098000, 0, Account).Body);
        Assert.Contains("尚需退还100.00元", SmsMessage.OverpaidFamily("HN-6", 500000, 490000, 10000).Body);
        Assert.True(SmsMessage.OverpaidFamily("HN-6", 500000, 490000, 10000).ToFamily);
        Assert.False(SmsMessage.Paid(PaymentKind.Benefit, new YearMonth(2026, 12), 183000, 0, Account).ToFamily);
        Assert.False(SmsMessage.Overpaid(new YearMonth(2026, 12), 183000, "死亡").ToFamily);
    }
}
