using Tongban.Domain.Province;

namespace Tongban.Domain.Claims;

/// <summary>
/// When a stage is due, in working days from receipt (社会保险经办条例 art. 24 allows 10; the province
/// sets its own, e.g. a decision within 3). Due at the end of the due day, China Standard Time.
/// </summary>
public static class Deadlines
{
    public static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    public static DateOnly LocalDate(DateTimeOffset at) => DateOnly.FromDateTime(at.ToOffset(ChinaStandardTime).DateTime);

    public static DateTimeOffset? DueAt(ClaimStatus status, DateTimeOffset receivedAt, ProvinceConfig province)
    {
        int? days = status switch
        {
            ClaimStatus.Verifying or ClaimStatus.FirstReview => province.Deadlines.FirstReviewWorkingDays,
            ClaimStatus.FinalReview => province.Deadlines.DecisionWorkingDays,
            _ => null,
        };
        if (days is null) return null;
        var dueDay = province.Calendar.AddWorkingDays(LocalDate(receivedAt), days.Value);
        return new DateTimeOffset(dueDay.ToDateTime(new TimeOnly(23, 59, 59)), ChinaStandardTime);
    }

    /// <summary>
    /// When the office is reminded of a stage: 09:00 China time on its due day, the morning its last working day
    /// begins (the same day as receipt when the deadline is that day). Null for statuses without a deadline.
    /// </summary>
    public static DateTimeOffset? RemindAt(ClaimStatus status, DateTimeOffset receivedAt, ProvinceConfig province) =>
        DueAt(status, receivedAt, province) is { } due
            ? new DateTimeOffset(DateOnly.FromDateTime(due.DateTime).ToDateTime(new TimeOnly(9, 0)), ChinaStandardTime)
            : null;
}
