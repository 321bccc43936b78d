using Tongban.Domain.Entitlements;
using Tongban.Domain.Identifiers;
using Tongban.Domain.Payouts;
using Tongban.Domain.Tests.Support;

namespace Tongban.Domain.Tests.Entitlements;

public class EntitlementTests
{
    private static readonly YearMonth November2026 = new(2026, 11);

    /// <summary>A man born in 1990: statutory retirement at 63, in 2053, far beyond any entitlement here.</summary>
    private static readonly StatutoryRetirement Young = RetirementAge.For(new DateOnly(1990, 3, 15), Sex.Male, WomanPost.Worker);

    private static Entitlement Fix(int contributionMonths, int carriedOver = 0, StatutoryRetirement? retirement = null) =>
        Entitlement.Fix(contributionMonths, carriedOver, TestProvince.NationalScale(), TestProvince.HaikouStandardFen, November2026,
            retirement ?? Young);

    private static StatutoryRetirement RetiringOn(int year, int month, int day) => new(60, 0, new DateOnly(year, month, day));

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
        var entitlement = Entitlement.Fix(12, 0, TestProvince.NationalScale(), 183000, new YearMonth(2026, 1), Young);

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

    [Fact]
    public void An_ordinary_entitlement_is_not_continued()
    {
        var entitlement = Fix(7 * 12);

        Assert.Equal(0, entitlement.ContinuedMonths);
        Assert.Equal(18, entitlement.PaidMonths);
    }

    [Fact]
    public void Entitlement_ending_less_than_a_year_before_retirement_keeps_paying_until_the_retirement_month()
    {
        // Twelve months end in October 2027; he reaches his statutory age on 2028-06-15.
        var entitlement = Fix(30, retirement: RetiringOn(2028, 6, 15));

        Assert.Equal(12, entitlement.Months);
        Assert.Equal(new YearMonth(2028, 6), entitlement.EndMonth);
        Assert.Equal(8, entitlement.ContinuedMonths);
        Assert.Equal(20, entitlement.PaidMonths);
    }

    [Theory]
    [InlineData(31, false)]
    [InlineData(30, true)]
    public void A_year_is_counted_from_the_last_day_of_the_entitlement_to_the_day_the_age_is_reached(int day, bool continued)
    {
        // Twelve months end on 2027-10-31: a retirement on 2028-10-31 is a year later, one on the 30th less than a year.
        var entitlement = Fix(30, retirement: RetiringOn(2028, 10, day));

        Assert.Equal(continued ? new YearMonth(2028, 10) : new YearMonth(2027, 10), entitlement.EndMonth);
    }

    [Fact]
    public void Months_past_the_retirement_month_are_not_granted()
    {
        // Eighteen months would run to April 2028; the statutory age is reached in December 2027.
        var entitlement = Fix(7 * 12, retirement: RetiringOn(2027, 12, 5));

        Assert.Equal(14, entitlement.Months);
        Assert.Equal(new YearMonth(2027, 12), entitlement.EndMonth);
        Assert.Equal(0, entitlement.ContinuedMonths);
    }

    [Fact]
    public void A_claim_registered_after_the_retirement_month_is_refused()
    {
        Assert.Throws<InvalidOperationException>(() => Fix(7 * 12, retirement: RetiringOn(2026, 10, 31)));
    }

    [Fact]
    public void Registered_in_the_retirement_month_the_entitlement_pays_that_month()
    {
        var entitlement = Fix(7 * 12, retirement: RetiringOn(2026, 11, 20));

        Assert.Equal(1, entitlement.Months);
        Assert.Equal(November2026, entitlement.EndMonth);
    }

    [Fact]
    public void A_stop_during_the_continuation_leaves_no_months_to_carry_over()
    {
        var entitlement = Fix(30, retirement: RetiringOn(2028, 6, 15));

        Assert.Equal(0, entitlement.UnusedMonthsAfter(new DateOnly(2028, 1, 10)));
        Assert.False(entitlement.Pays(new YearMonth(2028, 2), new DateOnly(2028, 1, 10), PartialMonthRule.StopMonthPaid));
    }

    [Fact]
    public void A_stop_before_the_continuation_leaves_the_granted_months_unused()
    {
        var entitlement = Fix(30, retirement: RetiringOn(2028, 6, 15));

        // November 2026 to April 2027 used: six of the twelve granted are left, none of the eight continued.
        Assert.Equal(6, entitlement.UnusedMonthsAfter(new DateOnly(2027, 4, 3)));
    }

    [Fact]
    public void An_entitlement_fixed_before_the_rule_that_runs_past_the_retirement_age_is_cut_at_its_month()
    {
        var beforeTheRule = new Entitlement(24, 183000, November2026, new YearMonth(2028, 10));

        var adjusted = beforeTheRule.UnderRetirementRule(RetiringOn(2027, 6, 15));

        Assert.Equal(new Entitlement(8, 183000, November2026, new YearMonth(2027, 6)), adjusted);
        Assert.Equal(adjusted, Fix(10 * 12, retirement: RetiringOn(2027, 6, 15)));
    }

    [Fact]
    public void An_entitlement_fixed_before_the_rule_that_ends_less_than_a_year_before_the_retirement_age_is_continued_to_it()
    {
        var beforeTheRule = new Entitlement(12, 183000, November2026, new YearMonth(2027, 10));

        var adjusted = beforeTheRule.UnderRetirementRule(RetiringOn(2028, 10, 30));

        Assert.Equal(new Entitlement(12, 183000, November2026, new YearMonth(2028, 10)), adjusted);
        Assert.Equal(12, adjusted.ContinuedMonths);
        Assert.Equal(adjusted, Fix(4 * 12, retirement: RetiringOn(2028, 10, 30)));
    }

    [Theory]
    [InlineData(2028, 11, 1)]
    [InlineData(2053, 3, 15)]
    public void An_entitlement_ending_a_year_or_more_before_the_retirement_age_or_fixed_under_the_rule_is_unchanged(int year, int month, int day)
    {
        var beforeTheRule = new Entitlement(12, 183000, November2026, new YearMonth(2027, 10));
        var underTheRule = Fix(4 * 12, retirement: RetiringOn(2028, 10, 30));

        Assert.Same(beforeTheRule, beforeTheRule.UnderRetirementRule(RetiringOn(year, month, day)));
        Assert.Equal(underTheRule, underTheRule.UnderRetirementRule(RetiringOn(2028, 10, 30)));
    }
}
