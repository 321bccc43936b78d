using Tongban.Domain.Entitlements;
using Tongban.Domain.Payouts;

namespace Tongban.Domain.Tests.Payouts;

/// <summary>November 2026 to April 2028 (18 months); stops on 16 February 2027 unless said otherwise.</summary>
public class PartialMonthTests
{
    private static readonly Entitlement Eighteen = new(18, 183000, new YearMonth(2026, 11), new YearMonth(2028, 4));
    private static readonly DateOnly MidFebruary = new(2027, 2, 16);
    private static readonly YearMonth January = new(2027, 1), February = new(2027, 2), March = new(2027, 3);

    [Fact]
    public void Stop_month_paid_pays_the_month_of_the_stop_and_nothing_after()
    {
        Assert.True(Eighteen.Pays(February, MidFebruary, PartialMonthRule.StopMonthPaid));
        Assert.False(Eighteen.Pays(March, MidFebruary, PartialMonthRule.StopMonthPaid));
    }

    [Fact]
    public void Stop_month_not_paid_ends_with_the_month_before_the_stop()
    {
        Assert.True(Eighteen.Pays(January, MidFebruary, PartialMonthRule.StopMonthNotPaid));
        Assert.False(Eighteen.Pays(February, MidFebruary, PartialMonthRule.StopMonthNotPaid));
    }

    [Fact]
    public void A_stop_on_the_first_of_the_month_is_a_stop_in_that_month()
    {
        var first = new DateOnly(2027, 2, 1);

        Assert.Equal(February, Eighteen.LastPaidMonth(first, PartialMonthRule.StopMonthPaid));
        Assert.Equal(January, Eighteen.LastPaidMonth(first, PartialMonthRule.StopMonthNotPaid));
    }

    [Theory]
    [InlineData(PartialMonthRule.StopMonthPaid)]
    [InlineData(PartialMonthRule.StopMonthNotPaid)]
    public void A_death_pays_its_month_whatever_the_rule(PartialMonthRule rule)
    {
        Assert.True(Eighteen.Pays(February, MidFebruary, rule, died: true));
        Assert.False(Eighteen.Pays(March, MidFebruary, rule, died: true));
    }

    [Fact]
    public void Months_outside_the_entitlement_are_never_paid()
    {
        Assert.False(Eighteen.Pays(new YearMonth(2026, 10), null, PartialMonthRule.StopMonthPaid));
        Assert.False(Eighteen.Pays(new YearMonth(2028, 5), null, PartialMonthRule.StopMonthPaid));
        Assert.True(Eighteen.Pays(new YearMonth(2028, 4), null, PartialMonthRule.StopMonthPaid));
    }

    [Fact]
    public void A_stop_in_the_first_month_under_stop_month_not_paid_pays_nothing()
    {
        var inNovember = new DateOnly(2026, 11, 20);

        Assert.Null(Eighteen.LastPaidMonth(inNovember, PartialMonthRule.StopMonthNotPaid));
        Assert.Equal(18, Eighteen.UnusedMonthsAfter(inNovember, PartialMonthRule.StopMonthNotPaid));
    }

    [Fact]
    public void Unused_months_follow_the_rule_the_month_of_the_stop_being_used_only_when_paid()
    {
        // Paid: Nov–Feb used (4), 14 left. Not paid: Nov–Jan used (3), 15 left.
        Assert.Equal(18 - 4, Eighteen.UnusedMonthsAfter(MidFebruary, PartialMonthRule.StopMonthPaid));
        Assert.Equal(18 - 3, Eighteen.UnusedMonthsAfter(MidFebruary, PartialMonthRule.StopMonthNotPaid));
    }

    [Theory]
    [InlineData("stop-month-paid", PartialMonthRule.StopMonthPaid)]
    [InlineData("stop-month-not-paid", PartialMonthRule.StopMonthNotPaid)]
    public void Rules_are_named_in_province_files_by_code(string code, PartialMonthRule rule)
    {
        Assert.True(PartialMonthRules.TryParse(code, out var parsed));
        Assert.Equal(rule, parsed);
        Assert.Equal(code, rule.Code());
    }

    [Fact]
    public void An_unknown_rule_is_not_parsed()
    {
        Assert.False(PartialMonthRules.TryParse("half-month", out _));
    }
}
