using Tongban.Domain.Entitlements;
using Tongban.Domain.Identifiers;
using Tongban.Domain.Province;
using Tongban.Domain.Registry;

namespace Tongban.Domain.Verification;

/// <summary>One reason the data rule an application out, in words for the applicant.</summary>
public sealed record Finding(string Code, string Message);

/// <summary>An earlier benefit entitlement of the same person: its unused months carry over (条例 art. 17).</summary>
public sealed record PriorEntitlement(YearMonth StartMonth, int UnusedMonths);

/// <summary>
/// The facts verification needs, gathered from the registry and the claims store; <paramref name="Retirement"/> from the
/// applicant's identity number (birth date and sex) and the province's default post for women.
/// <paramref name="DeathReported"/>: the family reported the person's death on one of their claims (<c>death_reports</c>).
/// <paramref name="ReemployedOn"/>: the latest date the person was reported back in work on an earlier claim (a stop
/// event <c>reemployed</c>, at an office or by a confirmed cross-check match), null when never.
/// </summary>
public sealed record ClaimFacts(
    string ClaimedName,
    InsuredPerson? Person,
    YearMonth CurrentMonth,
    PriorEntitlement? Prior,
    bool HasOtherOpenClaim,
    StatutoryRetirement Retirement,
    bool DeathReported = false,
    DateOnly? ReemployedOn = null);

public sealed record VerificationResult(
    IReadOnlyList<Finding> Findings,
    string? InsuringCity,
    int ContributionMonths,
    int CarriedOverMonths)
{
    public bool Passed => Findings.Count == 0;
}

/// <summary>
/// Automatic verification of an unemployment-benefit claim against shared data (零材料):
/// 失业保险条例 art. 14 and 社会保险法 art. 45, plus 不重不漏 (no second open claim), and not past the statutory
/// retirement age (<see cref="RetirementAge"/>). A claim is never refused for being filed late, however long after the
/// job ended (人社厅发〔2020〕24号): no finding looks at the time since then.
/// <para>
/// What the claims store itself knows counts as shared data too (Hainan's unified platform, seed 004): a person whose
/// death was reported is not paid again (the family's benefits are the funeral grant and survivors' pension, 社会保险法
/// art. 49), and a person reported back in work (条例 art. 15(1); 社会保险法 art. 51(1)) is
/// unemployed again only once the registry shows that job ended — a spell ending in or after the month of the report.
/// Until the employer's contributions reach the registry the claim is refused, and 二次审核 looks at it again when
/// they do.
/// </para>
/// </summary>
public static class Eligibility
{
    public static VerificationResult Assess(ClaimFacts facts, ProvinceConfig province)
    {
        if (facts.Person is null)
            return Fail(new Finding("identity-not-found", "未查询到您的参保记录"));
        // Both sides normalised: a registry row stored before the rule, or a portal's other dot, still compares.
        if (!string.Equals(PersonName.Normalize(facts.Person.Name), PersonName.Normalize(facts.ClaimedName), StringComparison.Ordinal))
            return Fail(new Finding("name-mismatch", "姓名与参保登记信息不一致"));

        if (facts.DeathReported)
            return Fail(new Finding("deceased", "系统已登记参保人死亡，不能申领失业保险金"));

        var findings = new List<Finding>();
        var latest = facts.Person.LatestSpell;
        var carried = facts.Prior?.UnusedMonths ?? 0;
        // After an earlier entitlement the contribution count starts again (社会保险法 art. 46): only months since it count,
        // never the whole history; its unused months carry over instead (条例 art. 17).
        var months = facts.Person.ContributionMonths(facts.CurrentMonth, facts.Prior?.StartMonth.AddMonths(1));

        if (months < province.Duration.MinimumContributionMonths && carried == 0)
            findings.Add(new Finding("insufficient-contributions",
                $"累计缴费{months}个月，不满{province.Duration.MinimumContributionMonths}个月"));
        if (latest is { End: null })
            findings.Add(new Finding("still-contributing", "您目前仍在参保缴费"));
        else if (latest?.Reason is SeparationReason.Retired)
            findings.Add(new Finding("on-pension", "您已办理退休，领取基本养老金"));
        else if (latest?.Reason is not { } reason || !reason.IsInvoluntary())
            findings.Add(new Finding("voluntary-separation", "最近一次离职为本人意愿中断就业"));
        else if (reason == SeparationReason.MutualAgreement && !province.Eligibility.MutualAgreementQualifies)
            findings.Add(new Finding("mutual-agreement-not-covered", "本省协商解除劳动合同不属领取失业保险金范围"));
        if (facts.ReemployedOn is { } back && latest?.End is { } ended && ended < YearMonth.Of(back))
            findings.Add(new Finding("reemployed",
                $"您已于{back.Year}年{back.Month}月{back.Day}日重新就业，参保记录中尚无此后的离职"));
        if (facts.HasOtherOpenClaim)
            findings.Add(new Finding("other-open-claim", "您有另一笔正在办理或领取中的失业保险金"));
        if (facts.CurrentMonth > facts.Retirement.Month)
            findings.Add(new Finding("past-retirement-age", "您已超过法定退休年龄"));

        var insuringCity = latest?.CityCode;
        if (insuringCity is not null && province.FindCity(insuringCity) is null)
            findings.Add(new Finding("insured-outside-province", "参保地不在本省，请先办理失业保险关系转移"));

        return new VerificationResult(findings, insuringCity, months, carried);

        static VerificationResult Fail(Finding f) => new([f], null, 0, 0);
    }
}
