namespace Tongban.Domain.Claims;

/// <summary>The province's unemployment-insurance service items (contract: Applications).</summary>
public static class ServiceItems
{
    public const string UnemploymentBenefit = "unemployment-benefit";

    public static readonly IReadOnlySet<string> All = new HashSet<string>
    {
        UnemploymentBenefit, "unemployment-subsidy", "skill-upgrade-subsidy", "funeral-subsidy",
        "relationship-transfer", "unemployment-registration", "job-retention-refund",
    };

    /// <summary>Items this system processes end to end today; the others are refused with a clear error.</summary>
    public static readonly IReadOnlySet<string> Accepted = new HashSet<string> { UnemploymentBenefit };
}
