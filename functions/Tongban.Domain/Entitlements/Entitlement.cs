using Tongban.Domain.Payouts;
using Tongban.Domain.Province;

namespace Tongban.Domain.Entitlements;

/// <summary>What approval fixes: how many months, how much a month, and from which month to which.</summary>
public sealed record Entitlement(int Months, long MonthlyFen, YearMonth StartMonth, YearMonth EndMonth)
{
    /// <summary>
    /// Months from the contributions counted for this claim, plus months left from an earlier
    /// entitlement, capped (社会保险法 art. 46). Paid from the month of registration (条例 art. 16).
    /// </summary>
    public static Entitlement Fix(int contributionMonths, int carriedOverMonths, DurationScale scale,
        long monthlyFen, YearMonth registrationMonth)
    {
        var months = Math.Min(scale.CapMonths, scale.BenefitMonthsFor(contributionMonths) + carriedOverMonths);
        if (months <= 0)
            throw new InvalidOperationException("No benefit months: verification should have ruled this claim out.");
        return new Entitlement(months, monthlyFen, registrationMonth, registrationMonth.AddMonths(months - 1));
    }

    /// <summary>
    /// The last month this entitlement pays when payment stops on <paramref name="stopDate"/> (null when it pays
    /// none): the stop month itself under <see cref="PartialMonthRule.StopMonthPaid"/> or after a death, the month
    /// before it otherwise — never past <see cref="EndMonth"/>.
    /// </summary>
    public YearMonth? LastPaidMonth(DateOnly stopDate, PartialMonthRule rule, bool died = false)
    {
        var stopMonth = YearMonth.Of(stopDate);
        var last = died || rule == PartialMonthRule.StopMonthPaid ? stopMonth : stopMonth.AddMonths(-1);
        if (last > EndMonth) last = EndMonth;
        return last < StartMonth ? null : last;
    }

    /// <summary>Whether the entitlement pays <paramref name="period"/>, given how (and whether) it stopped.</summary>
    public bool Pays(YearMonth period, DateOnly? stopDate, PartialMonthRule rule, bool died = false)
    {
        if (period < StartMonth || period > EndMonth) return false;
        return stopDate is not { } stop || LastPaidMonth(stop, rule, died) is { } last && period <= last;
    }

    /// <summary>
    /// Months left when payment stops on <paramref name="stopDate"/>: every month after the last paid one.
    /// They carry over to a new claim (条例 art. 17). Counted from the rule rather than from the payments made,
    /// because a stop month that is still to be paid (its run not yet done) is used all the same.
    /// </summary>
    public int UnusedMonthsAfter(DateOnly stopDate, PartialMonthRule rule = PartialMonthRule.StopMonthPaid) =>
        LastPaidMonth(stopDate, rule) is { } last ? EndMonth.MonthsSinceInclusive(last) - 1 : Months;
}
