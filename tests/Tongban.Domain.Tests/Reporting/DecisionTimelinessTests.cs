using Tongban.Domain.Calendar;
using Tongban.Domain.Reporting;
using Tongban.Domain.Tests.Support;

namespace Tongban.Domain.Tests.Reporting;

public class DecisionTimelinessTests
{
    private readonly WorkingDayCalendar _calendar = new([Holidays.Year2026()]);

    [Fact]
    public void Cases_decided_by_the_due_day_count_as_within_the_deadline_and_the_mean_is_in_working_days()
    {
        // Received Wednesday 30 September; with 3 working days the due day is 10 October (the make-up Saturday after
        // the National Day holiday). Decided on 9 October: 2 working days; on Monday 12 October: 4 working days, late.
        var received = new DateOnly(2026, 9, 30);
        DecisionDays[] groups =
        [
            new(received, new DateOnly(2026, 10, 9), 3),
            new(received, new DateOnly(2026, 10, 12), 1),
            new(received, received, 2),
        ];

        var timeliness = DecisionTimeliness.Of(groups, _calendar, decisionWorkingDays: 3);

        Assert.Equal(6, timeliness.Decided);
        Assert.Equal(5, timeliness.WithinDeadline);
        Assert.Equal(5.0 / 6, timeliness.CompletionRate);
        Assert.Equal(Math.Round((3 * 2 + 1 * 4 + 2 * 0) / 6.0, 1), timeliness.AverageWorkingDays);
    }

    [Fact]
    public void Nothing_decided_has_no_rate_and_no_mean()
    {
        var timeliness = DecisionTimeliness.Of([], _calendar, 3);

        Assert.Equal(0, timeliness.Decided);
        Assert.Null(timeliness.CompletionRate);
        Assert.Null(timeliness.AverageWorkingDays);
    }
}
