using Tongban.Domain.Claims;
using Tongban.Domain.Verification;

namespace Tongban.Domain.Outreach;

/// <summary>
/// Who an outreach campaign (主动服务) tells that they may apply, from the result of the one eligibility rule
/// (<see cref="Eligibility.Assess"/>, run on the registry's data as if the person had applied today under the name the
/// registry holds). Gaoming found 13,000 eligible people in its insured data who had not applied and told them by SMS;
/// applications rose tenfold (seed 000; issue 12, item 4).
/// </summary>
public static class OutreachRule
{
    /// <summary>The unemployment subsidy's service item (失业补助金).</summary>
    public const string UnemploymentSubsidy = "unemployment-subsidy";

    /// <summary>The service items a campaign may be for.</summary>
    public static readonly IReadOnlyList<string> ServiceItems = [Claims.ServiceItems.UnemploymentBenefit, UnemploymentSubsidy];

    /// <summary>
    /// Whether the person qualifies for <paramref name="serviceItem"/>:
    /// <list type="bullet">
    /// <item><c>unemployment-benefit</c>: the assessment passed (失业保险条例 art. 14; 社会保险法 art. 45);</item>
    /// <item><c>unemployment-subsidy</c>: insured at least a month, out of work involuntarily and below the benefit's
    /// minimum contributions — the assessment's only finding is <c>insufficient-contributions</c> (DOMAIN.md, 失业补助金).</item>
    /// </list>
    /// </summary>
    /// <exception cref="ArgumentException">Another service item.</exception>
    public static bool Qualifies(string serviceItem, VerificationResult assessed) => serviceItem switch
    {
        Claims.ServiceItems.UnemploymentBenefit => assessed.Passed,
        UnemploymentSubsidy => assessed.ContributionMonths > 0 && assessed.Findings.Count == 1
                               && assessed.Findings[0].Code == "insufficient-contributions",
        _ => throw new ArgumentException($"Outreach is for {string.Join(" or ", ServiceItems)}, not {serviceItem}.", nameof(serviceItem)),
    };

    /// <summary>
    /// The month whose campaign is due on <paramref name="today"/> (China time): this month from <paramref name="day"/>
    /// on, before it the month before — so a month whose day passed while nothing ran is caught up the next time the
    /// timer fires, and a month missed entirely gives way to the next rather than sending two campaigns at once.
    /// </summary>
    public static YearMonth CampaignMonth(DateOnly today, int day) =>
        today.Day >= day ? YearMonth.Of(today) : YearMonth.Of(today).AddMonths(-1);
}
