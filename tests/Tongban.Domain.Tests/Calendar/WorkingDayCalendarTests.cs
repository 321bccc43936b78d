using Tongban.Domain.Calendar;
using Tongban.Domain.Tests.Support;

namespace Tongban.Domain.Tests.Calendar;

public class WorkingDayCalendarTests
{
    private readonly WorkingDayCalendar _calendar = new([Holidays.Year2026()]);

    [Fact]
    public void Make_up_Saturday_before_Spring_Festival_is_a_working_day()
    {
        var day = new DateOnly(2026, 2, 14);

        Assert.Equal(DayOfWeek.Saturday, day.DayOfWeek);
        Assert.True(_calendar.IsWorkingDay(day));
    }

    [Theory]
    [InlineData("2026-01-04")]
    [InlineData("2026-02-28")]
    [InlineData("2026-05-09")]
    [InlineData("2026-09-20")]
    [InlineData("2026-10-10")]
    public void Every_published_make_up_weekend_day_is_worked(string date)
    {
        var day = DateOnly.Parse(date);

        Assert.True(day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday);
        Assert.True(_calendar.IsWorkingDay(day));
    }

    [Theory]
    [InlineData("2026-10-01")]
    [InlineData("2026-10-02")]
    [InlineData("2026-10-03")]
    [InlineData("2026-10-04")]
    [InlineData("2026-10-05")]
    [InlineData("2026-10-06")]
    [InlineData("2026-10-07")]
    public void National_Day_week_is_off(string date)
    {
        Assert.False(_calendar.IsWorkingDay(DateOnly.Parse(date)));
    }

    [Theory]
    [InlineData("2026-01-02")]
    [InlineData("2026-02-16")]
    [InlineData("2026-02-23")]
    [InlineData("2026-05-05")]
    [InlineData("2026-06-19")]
    [InlineData("2026-09-25")]
    public void Weekday_holidays_are_off(string date)
    {
        var day = DateOnly.Parse(date);

        Assert.False(day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday);
        Assert.False(_calendar.IsWorkingDay(day));
    }

    [Fact]
    public void Ordinary_weekend_is_off_and_weekday_is_worked()
    {
        Assert.False(_calendar.IsWorkingDay(new DateOnly(2026, 11, 21)));
        Assert.False(_calendar.IsWorkingDay(new DateOnly(2026, 11, 22)));
        Assert.True(_calendar.IsWorkingDay(new DateOnly(2026, 11, 23)));
    }

    [Fact]
    public void Friday_plus_one_working_day_is_Monday()
    {
        var friday = new DateOnly(2026, 11, 20);

        Assert.Equal(DayOfWeek.Friday, friday.DayOfWeek);
        Assert.Equal(new DateOnly(2026, 11, 23), _calendar.AddWorkingDays(friday, 1));
    }

    [Fact]
    public void Case_received_before_National_Day_is_due_after_the_holiday()
    {
        var lastDayBefore = new DateOnly(2026, 9, 30);

        Assert.Equal(new DateOnly(2026, 10, 8), _calendar.AddWorkingDays(lastDayBefore, 1));
        Assert.Equal(new DateOnly(2026, 10, 9), _calendar.AddWorkingDays(lastDayBefore, 2));
        // Saturday 10-10 is a make-up working day.
        Assert.Equal(new DateOnly(2026, 10, 10), _calendar.AddWorkingDays(lastDayBefore, 3));
        Assert.Equal(new DateOnly(2026, 10, 12), _calendar.AddWorkingDays(lastDayBefore, 4));
    }

    [Fact]
    public void Friday_before_Spring_Festival_is_followed_by_the_make_up_Saturday()
    {
        Assert.Equal(new DateOnly(2026, 2, 14), _calendar.AddWorkingDays(new DateOnly(2026, 2, 13), 1));
        Assert.Equal(new DateOnly(2026, 2, 24), _calendar.AddWorkingDays(new DateOnly(2026, 2, 13), 2));
    }

    [Fact]
    public void Ten_working_days_from_a_September_Friday_skip_both_holidays()
    {
        // 09-18 Fri → 09-20 (Sun, worked) 21 22 23 24 28 29 30 10-08 10-09: the tenth is 10-09.
        Assert.Equal(new DateOnly(2026, 10, 9), _calendar.AddWorkingDays(new DateOnly(2026, 9, 18), 10));
    }

    [Fact]
    public void Zero_working_days_is_the_same_day()
    {
        Assert.Equal(new DateOnly(2026, 10, 3), _calendar.AddWorkingDays(new DateOnly(2026, 10, 3), 0));
    }

    [Fact]
    public void Negative_working_days_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _calendar.AddWorkingDays(new DateOnly(2026, 10, 3), -1));
    }

    [Fact]
    public void Unpublished_year_falls_back_to_Monday_to_Friday_and_says_so()
    {
        Assert.True(_calendar.IsPublished(2026));
        Assert.False(_calendar.IsPublished(2027));
        // 2027-01-01 is New Year's Day and a Friday; with no notice yet it counts as a working day.
        Assert.True(_calendar.IsWorkingDay(new DateOnly(2027, 1, 1)));
        Assert.False(_calendar.IsWorkingDay(new DateOnly(2027, 1, 2)));
    }

    [Fact]
    public void Counting_runs_on_into_an_unpublished_year()
    {
        // 12-31 Thu → 2027-01-01 Fri (fallback) → 01-04 Mon.
        Assert.Equal(new DateOnly(2027, 1, 4), _calendar.AddWorkingDays(new DateOnly(2026, 12, 31), 2));
    }

    [Fact]
    public void Holidays_of_one_year_do_not_leak_into_another()
    {
        // 10-08 was off in 2025 and is a working Thursday in 2026.
        var calendar = new WorkingDayCalendar([Holidays.Year2025(), Holidays.Year2026()]);

        Assert.False(calendar.IsWorkingDay(new DateOnly(2025, 10, 8)));
        Assert.True(calendar.IsWorkingDay(new DateOnly(2026, 10, 8)));
    }

    [Theory]
    [InlineData("2026-09-30", "2026-10-08", 1)]
    [InlineData("2026-11-27", "2026-11-30", 1)]
    [InlineData("2026-11-30", "2026-11-30", 0)]
    [InlineData("2026-11-30", "2026-11-27", 0)]
    [InlineData("2026-10-09", "2026-10-12", 2)]
    public void Working_days_between_count_the_days_after_receipt_up_to_the_decision(string from, string to, int expected) =>
        Assert.Equal(expected, _calendar.WorkingDaysBetween(DateOnly.Parse(from), DateOnly.Parse(to)));
}
