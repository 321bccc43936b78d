namespace Tongban.Domain.Calendar;

/// <summary>One year of the State Council holiday notice: days off, and weekend days worked instead (调休).</summary>
public sealed record HolidayYear(int Year, IReadOnlySet<DateOnly> DaysOff, IReadOnlySet<DateOnly> WeekendWorkingDays);

/// <summary>
/// Working days by the State Council calendar. A year without a published notice falls back to
/// Monday–Friday; <see cref="IsPublished"/> says which years that is.
/// </summary>
public sealed class WorkingDayCalendar(IEnumerable<HolidayYear> years)
{
    private readonly Dictionary<int, HolidayYear> _years = years.ToDictionary(y => y.Year);

    public bool IsPublished(int year) => _years.ContainsKey(year);

    public bool IsWorkingDay(DateOnly day)
    {
        if (_years.TryGetValue(day.Year, out var notice))
        {
            if (notice.DaysOff.Contains(day)) return false;
            if (notice.WeekendWorkingDays.Contains(day)) return true;
        }
        return day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
    }

    /// <summary>
    /// Working days after <paramref name="from"/> up to and including <paramref name="to"/>: a case received on a Friday
    /// and decided the next Monday took one working day; decided the day it arrived, none. Zero when
    /// <paramref name="to"/> is not after <paramref name="from"/>.
    /// </summary>
    public int WorkingDaysBetween(DateOnly from, DateOnly to)
    {
        var counted = 0;
        for (var day = from.AddDays(1); day <= to; day = day.AddDays(1))
            if (IsWorkingDay(day)) counted++;
        return counted;
    }

    /// <summary>
    /// The <paramref name="workingDays"/>-th working day after <paramref name="from"/>
    /// (a case received on a Friday afternoon with 1 working day is due on Monday).
    /// </summary>
    public DateOnly AddWorkingDays(DateOnly from, int workingDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workingDays);
        var day = from;
        for (var counted = 0; counted < workingDays;)
        {
            day = day.AddDays(1);
            if (IsWorkingDay(day)) counted++;
        }
        return day;
    }
}
