using Tongban.Domain.Province;

namespace Tongban.Domain.Payouts;

/// <summary>What one month of benefit costs the insuring city's fund: the benefit and the medical-insurance contribution.</summary>
public sealed record MonthlyAmounts(long BenefitFen, long MedicalFen);

/// <summary>What the family receives when a recipient dies (社会保险法 art. 49), besides the benefit of the month of death.</summary>
public sealed record DeathBenefits(long FuneralGrantFen, int PensionMonths, long SurvivorsPensionFen);

/// <summary>
/// Amounts follow the insuring city's standard in force for the month paid, not the one at approval: a raise
/// reaches everyone receiving benefit. A standard that takes effect during a month counts from the next month
/// (the one in force on the month's first day applies to the whole month).
/// </summary>
public static class PaymentAmounts
{
    /// <summary>Null when the city has no standard in force for the month (a configuration gap, never a zero payment).</summary>
    public static MonthlyAmounts? For(City city, PayoutRules rules, YearMonth period) =>
        city.StandardOn(period.FirstDay) is { } benefit ? new MonthlyAmounts(benefit, rules.MedicalContributionFor(period)) : null;

    /// <summary>
    /// The funeral grant, and the survivors' pension as months of the city's standard in force on the day of death,
    /// by the number of dependants.
    /// </summary>
    public static DeathBenefits ForDeath(City city, PayoutRules rules, DateOnly died, int dependants)
    {
        var months = rules.SurvivorsPensionMonthsFor(dependants);
        var standard = city.StandardOn(died)
                       ?? throw new InvalidOperationException($"City {city.Code} has no benefit standard in force on {died:yyyy-MM-dd}.");
        return new DeathBenefits(rules.FuneralGrantFen, months, months * standard);
    }
}
