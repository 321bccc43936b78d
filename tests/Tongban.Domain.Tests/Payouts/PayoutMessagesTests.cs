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
        Assert.Equal(RefusalKind.Conflict,
            Assert.Throws<TransitionRefused>(() => ClaimWorkflow.Complete(approved with { Status = ClaimStatus.Terminated })).Kind);
    }

    [Fact]
    public void A_death_records_and_announces_the_familys_benefits()
    {
        var approved = new Claim(Guid.NewGuid(), "HN-2", ServiceItems.UnemploymentBenefit, "online", ClaimStatus.Approved, null, "460200",
            "460200-01", "r1", new Entitlement(12, 183000, new YearMonth(2026, 1), new YearMonth(2026, 12)), null, 7);
        var reporter = new StaffMember("460100-01-r1", StaffRole.Reviewer, "460100-01", "460100");

        var t = ClaimWorkflow.ReportStop(approved, reporter, StopEvents.Died, new DateOnly(2026, 5, 3), new DateOnly(2026, 5, 6),
            () => new DeathBenefits(80000, 9, 9 * 183000));

        Assert.Equal("1647000", t.Events.Single().Data!["survivorsPensionFen"]);
        Assert.Equal(["stopped", "death-benefits"], t.Sms.Select(s => s.Template));
        Assert.Contains("丧葬补助金800.00元、抚恤金16470.00元", t.Sms[1].Body);
        Assert.Throws<ArgumentException>(() => ClaimWorkflow.ReportStop(approved, reporter, "reemployed", new DateOnly(2026, 5, 3),
            new DateOnly(2026, 5, 6), () => new DeathBenefits(80000, 9, 1)));
    }
}
