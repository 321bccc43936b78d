using Tongban.Domain.Calendar;

namespace Tongban.Domain.Province;

/// <summary>A city office (经办机构) and how many reviewers staff it: work is spread in proportion.</summary>
public sealed record Office(string Code, string Name, int Reviewers);

/// <summary>A city's monthly unemployment benefit from a date on (失业保险金标准).</summary>
public sealed record BenefitStandard(DateOnly EffectiveFrom, long MonthlyFen);

/// <summary>A pooling area (统筹地区): its offices and its benefit standards over time.</summary>
public sealed record City(string Code, string Name, IReadOnlyList<Office> Offices, IReadOnlyList<BenefitStandard> Standards)
{
    /// <summary>The standard in force on a day; null before the first one.</summary>
    public long? StandardOn(DateOnly day) =>
        Standards.Where(s => s.EffectiveFrom <= day).OrderBy(s => s.EffectiveFrom).LastOrDefault()?.MonthlyFen;
}

/// <summary>Benefit months by cumulative contribution months: a step applies from its minimum up.</summary>
public sealed record DurationStep(int MinContributionMonths, int BenefitMonths);

/// <summary>How long benefit is paid (社会保险法 art. 46): steps, and the cap that also bounds carried-over months.</summary>
public sealed record DurationScale(IReadOnlyList<DurationStep> Steps, int CapMonths)
{
    /// <summary>0 when the contributions reach no step.</summary>
    public int BenefitMonthsFor(int contributionMonths) =>
        Steps.Where(s => contributionMonths >= s.MinContributionMonths)
             .Select(s => s.BenefitMonths).DefaultIfEmpty(0).Max();

    public int MinimumContributionMonths => Steps.Min(s => s.MinContributionMonths);
}

/// <summary>Working days allowed from receipt: to first review, and to the final decision.</summary>
public sealed record ReviewDeadlines(int FirstReviewWorkingDays, int DecisionWorkingDays);

/// <summary>
/// Who qualifies, where provinces decide: whether a job ended by mutual agreement (协商一致解除劳动合同) counts as lost
/// involuntarily — the national default (失业保险条例 art. 14 as DOMAIN.md lists the involuntary endings) says it does,
/// a province may not — and the post that sets a woman's statutory retirement age, which the registry export does not carry.
/// </summary>
public sealed record EligibilityRules(bool MutualAgreementQualifies, Entitlements.WomanPost WomenRetirementPost)
{
    /// <summary>The national rules, which a hand-built <see cref="ProvinceConfig"/> starts with; a province file states its own.</summary>
    public static readonly EligibilityRules National = new(true, Entitlements.WomanPost.Worker);
}

/// <summary>Everything that differs between provinces, as data.</summary>
public sealed record ProvinceConfig(
    string Code,
    string Name,
    IReadOnlyList<City> Cities,
    DurationScale Duration,
    ReviewDeadlines Deadlines,
    WorkingDayCalendar Calendar)
{
    /// <summary>The partial-month rule, medical-insurance contribution, death benefits and deduction share (province files set them).</summary>
    public Payouts.PayoutRules Payouts { get; init; } = Domain.Payouts.PayoutRules.Default;

    /// <summary>Mutual-agreement separations and women's default retirement post (province files set them).</summary>
    public EligibilityRules Eligibility { get; init; } = EligibilityRules.National;

    public City? FindCity(string code) => Cities.FirstOrDefault(c => c.Code == code);

    public Office? FindOffice(string code) =>
        Cities.SelectMany(c => c.Offices).FirstOrDefault(o => o.Code == code);

}
