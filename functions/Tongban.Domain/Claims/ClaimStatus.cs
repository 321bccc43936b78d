namespace Tongban.Domain.Claims;

public enum ClaimStatus { Verifying, FirstReview, FinalReview, Approved, Rejected, Suspended, Completed, Terminated }

public static class ClaimStatuses
{
    public static string Code(this ClaimStatus status) => status switch
    {
        ClaimStatus.Verifying => "verifying",
        ClaimStatus.FirstReview => "first-review",
        ClaimStatus.FinalReview => "final-review",
        ClaimStatus.Approved => "approved",
        ClaimStatus.Rejected => "rejected",
        ClaimStatus.Suspended => "suspended",
        ClaimStatus.Completed => "completed",
        ClaimStatus.Terminated => "terminated",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static ClaimStatus Parse(string code) =>
        Enum.GetValues<ClaimStatus>().First(s => s.Code() == code);

    /// <summary>Open claims block a second claim of the same person and service item (不重不漏).</summary>
    public static bool IsOpen(this ClaimStatus status) =>
        status is not (ClaimStatus.Rejected or ClaimStatus.Completed or ClaimStatus.Terminated);
}
