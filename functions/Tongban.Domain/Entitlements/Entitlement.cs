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
    /// Months not yet reached when payment stops on <paramref name="stopDate"/>: the month of the
    /// stop counts as used, later months are unused and carry over to a new claim.
    /// </summary>
    public int UnusedMonthsAfter(DateOnly stopDate)
    {
        var stopMonth = YearMonth.Of(stopDate);
        if (stopMonth < StartMonth) return Months;
        return stopMonth >= EndMonth ? 0 : EndMonth.MonthsSinceInclusive(stopMonth) - 1;
    }
}
