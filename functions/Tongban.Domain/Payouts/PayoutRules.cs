namespace Tongban.Domain.Payouts;

/// <summary>
/// How the month in which benefit stops (a partial month) is treated. Provinces differ: most pay the month in
/// which the stop falls and stop from the next month (停发次月); some pay whole months only and stop with the
/// month of the event. Death always pays its month: the family receives the benefit of the month of death
/// (社会保险法 art. 49), whatever the rule.
/// </summary>
public enum PartialMonthRule
{
    /// <summary><c>stop-month-paid</c>: the month of the stop date is paid in full; later months are not.</summary>
    StopMonthPaid,

    /// <summary><c>stop-month-not-paid</c>: the month of the stop date and later months are not paid.</summary>
    StopMonthNotPaid,
}

public static class PartialMonthRules
{
    public static string Code(this PartialMonthRule rule) => rule switch
    {
        PartialMonthRule.StopMonthPaid => "stop-month-paid",
        PartialMonthRule.StopMonthNotPaid => "stop-month-not-paid",
        _ => throw new ArgumentOutOfRangeException(nameof(rule)),
    };

    public static bool TryParse(string? code, out PartialMonthRule rule)
    {
        foreach (var candidate in Enum.GetValues<PartialMonthRule>())
        {
            if (candidate.Code() != code) continue;
            rule = candidate;
            return true;
        }
        rule = default;
        return false;
    }
}

/// <summary>A monthly amount from a date on (the same shape as a city's benefit standard).</summary>
public sealed record DatedAmount(DateOnly EffectiveFrom, long MonthlyFen);

/// <summary>
/// What a province decides about paying benefit, beyond the cities' standards: the partial month, the basic
/// medical-insurance contribution the fund pays for each recipient (社会保险法 art. 48), what the family gets
/// on a recipient's death (art. 49), and how much of a later payment may go to recovering an overpayment.
/// </summary>
public sealed record PayoutRules(
    PartialMonthRule PartialMonth,
    IReadOnlyList<DatedAmount> MedicalContribution,
    long FuneralGrantFen,
    IReadOnlyList<int> SurvivorsPensionMonths,
    int MaxDeductionPercent)
{
    /// <summary>
    /// The rules a hand-built <see cref="Province.ProvinceConfig"/> starts with: the stop month paid, nothing else.
    /// A province file always states its own (the loader refuses one without them).
    /// </summary>
    public static readonly PayoutRules Default = new(PartialMonthRule.StopMonthPaid, [], 0, [], 0);

    /// <summary>The medical-insurance contribution for a month: the amount in force on its first day; 0 before the first.</summary>
    public long MedicalContributionFor(YearMonth period) =>
        MedicalContribution.Where(a => a.EffectiveFrom <= period.FirstDay).OrderBy(a => a.EffectiveFrom).LastOrDefault()?.MonthlyFen ?? 0;

    /// <summary>Months of benefit paid as survivors' pension: by number of dependants, the last step for that many or more.</summary>
    public int SurvivorsPensionMonthsFor(int dependants) =>
        dependants <= 0 || SurvivorsPensionMonths.Count == 0 ? 0 : SurvivorsPensionMonths[Math.Min(dependants, SurvivorsPensionMonths.Count) - 1];

    /// <summary>The most that may be deducted from one later payment to recover an overpayment (rounded down to the fen).</summary>
    public long MaxDeductionFrom(long paymentFen) => paymentFen * MaxDeductionPercent / 100;
}
