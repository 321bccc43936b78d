using Tongban.Domain.Claims;
using Tongban.Domain.Tests.Support;

namespace Tongban.Domain.Tests.Claims;

public class DeadlinesTests
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    [Fact]
    public void First_review_received_before_the_National_Day_holiday_is_due_after_it_and_reminded_that_morning()
    {
        // Received Wednesday 30 September 2026; 1–7 October are holidays and 10 October a make-up working Saturday.
        var received = new DateTimeOffset(2026, 9, 30, 10, 0, 0, China);
        var province = TestProvince.Hainan();

        var due = Deadlines.DueAt(ClaimStatus.FirstReview, received, province);
        var remind = Deadlines.RemindAt(ClaimStatus.FirstReview, received, province);

        Assert.Equal(new DateTimeOffset(2026, 10, 9, 23, 59, 59, China), due);
        Assert.Equal(new DateTimeOffset(2026, 10, 9, 9, 0, 0, China), remind);
    }

    [Fact]
    public void Final_review_counts_its_own_working_days_and_closed_claims_have_no_deadline()
    {
        var received = new DateTimeOffset(2026, 11, 30, 9, 0, 0, China);
        var province = TestProvince.Hainan();

        Assert.Equal(new DateTimeOffset(2026, 12, 14, 9, 0, 0, China), Deadlines.RemindAt(ClaimStatus.FinalReview, received, province));
        Assert.Null(Deadlines.RemindAt(ClaimStatus.Approved, received, province));
        Assert.Null(Deadlines.DueAt(ClaimStatus.Rejected, received, province));
    }
}
