using Tongban.Domain.Entitlements;
using Tongban.Domain.Payouts;

namespace Tongban.Domain.Tests.Entitlements;

public class FirstUnpaidMonthTests
{
    private static readonly Entitlement Earlier = new(24, 183000, new YearMonth(2026, 10), new YearMonth(2028, 9));
    private static readonly YearMonth November = new(2026, 11);

    [Fact]
    public void A_claim_after_re_employment_in_the_same_month_starts_after_the_stop_month_the_earlier_claim_pays()
    {
        var start = Entitlement.FirstUnpaidMonth(November, [(Earlier, new DateOnly(2026, 11, 30))], PartialMonthRule.StopMonthPaid);

        Assert.Equal(new YearMonth(2026, 12), start);
    }

    [Fact]
    public void Where_the_stop_month_is_not_paid_the_new_claim_starts_in_it()
    {
        var start = Entitlement.FirstUnpaidMonth(November, [(Earlier, new DateOnly(2026, 11, 30))], PartialMonthRule.StopMonthNotPaid);

        Assert.Equal(November, start);
    }

    [Fact]
    public void An_earlier_claim_that_ended_long_ago_leaves_the_registration_month()
    {
        var old = new Entitlement(12, 176000, new YearMonth(2022, 1), new YearMonth(2022, 12));

        Assert.Equal(November, Entitlement.FirstUnpaidMonth(November, [(old, null)], PartialMonthRule.StopMonthPaid));
        Assert.Equal(November, Entitlement.FirstUnpaidMonth(November, [], PartialMonthRule.StopMonthPaid));
    }
}
