using Tongban.Domain.Entitlements;
using Tongban.Domain.Tests.Support;

namespace Tongban.Domain.Tests.Entitlements;

public class EntitlementTests
{
    private static readonly YearMonth November2026 = new(2026, 11);

    private static Entitlement Fix(int contributionMonths, int carriedOver = 0) =>
        Entitlement.Fix(contributionMonths, carriedOver, TestProvince.NationalScale(), TestProvince.HaikouStandardFen, November2026);

    [Fact]
    public void Applicant_with_seven_years_gets_eighteen_months()
    {
        var entitlement = Fix(7 * 12);

        Assert.Equal(18, entitlement.Months);
        Assert.Equal(183000, entitlement.MonthlyFen);
    }

    [Fact]
    public void Payment_runs_from_the_registration_month_for_as_many_months_as_fixed()
    {
        var entitlement = Fix(7 * 12);

        Assert.Equal(November2026, entitlement.StartMonth);
        Assert.Equal(new YearMonth(2028, 4), entitlement.EndMonth);
    }

    [Fact]
    public void Twelve_months_from_January_end_in_December()
    {
        var entitlement = Entitlement.Fix(12, 0, TestProvince.NationalScale(), 183000, new YearMonth(2026, 1));

        Assert.Equal(new YearMonth(2026, 12), entitlement.EndMonth);
    }

    [Fact]
    public void Unused_months_from_an_earlier_entitlement_are_added()
    {
        Assert.Equal(12 + 4, Fix(30, carriedOver: 4).Months);
    }

    [Theory]
    [InlineData(120, 6)]
    [InlineData(84, 7)]
    [InlineData(11, 30)]
    public void Carried_over_months_are_capped_at_twenty_four(int contributionMonths, int carried)
    {
        var entitlement = Fix(contributionMonths, carried);

        Assert.Equal(24, entitlement.Months);
        Assert.Equal(November2026.AddMonths(23), entitlement.EndMonth);
    }

    [Fact]
    public void Carried_over_months_alone_make_an_entitlement_after_a_short_new_job()
    {
        Assert.Equal(5, Fix(7, carriedOver: 5).Months);
    }

    [Fact]
    public void Nothing_to_pay_is_refused()
    {
        Assert.Throws<InvalidOperationException>(() => Fix(11));
    }

    [Fact]
    public void Stop_in_a_month_counts_that_month_as_used()
    {
        var entitlement = Fix(7 * 12);

        // Nov, Dec, Jan, Feb used; Mar 2027 – Apr 2028 left.
        Assert.Equal(14, entitlement.UnusedMonthsAfter(new DateOnly(2027, 2, 10)));
        Assert.Equal(17, entitlement.UnusedMonthsAfter(new DateOnly(2026, 11, 30)));
    }

    [Fact]
    public void Stop_before_payment_starts_leaves_every_month_unused()
    {
        Assert.Equal(18, Fix(7 * 12).UnusedMonthsAfter(new DateOnly(2026, 10, 31)));
    }

    [Theory]
    [InlineData("2028-04-01")]
    [InlineData("2028-04-30")]
    [InlineData("2029-01-15")]
    public void Stop_in_or_after_the_last_month_leaves_nothing(string date)
    {
        Assert.Equal(0, Fix(7 * 12).UnusedMonthsAfter(DateOnly.Parse(date)));
    }

    [Fact]
    public void Stop_in_the_month_before_the_last_leaves_one()
    {
        Assert.Equal(1, Fix(7 * 12).UnusedMonthsAfter(new DateOnly(2028, 3, 31)));
    }
}
