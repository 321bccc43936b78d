using System.Globalization;
using Tongban.Domain;
using Tongban.Domain.Claims;

namespace Tongban.Scheduling;

/// <summary>
/// A periodic job: its Functions timer name, the work-item kind that runs it, and which periods are
/// due at a given time. A period is claimed once across all instances by the work item's unique key
/// <c>schedule:{Name}:{period}</c>, and a period missed while everything was down is still due later.
/// </summary>
public sealed record Schedule(string Name, string Kind, Func<DateTimeOffset, IEnumerable<string>> DuePeriods)
{
    public string DedupeKey(string period) => $"schedule:{Name}:{period}";

    /// <summary>
    /// Monthly from <paramref name="day"/> of the month, China time: the current month once that day has
    /// come, and the previous month too, so a month missed while everything was down still runs.
    /// </summary>
    public static Func<DateTimeOffset, IEnumerable<string>> Monthly(int day) => now =>
    {
        var today = Deadlines.LocalDate(now);
        var month = YearMonth.Of(today);
        return today.Day >= day ? [month.AddMonths(-1).ToString(), month.ToString()] : [month.AddMonths(-1).ToString()];
    };

    /// <summary>Hourly, China time ("2026-11-22T09").</summary>
    public static IEnumerable<string> Hourly(DateTimeOffset now) => [now.ToOffset(Deadlines.ChinaStandardTime).ToString("yyyy-MM-dd'T'HH", CultureInfo.InvariantCulture)];
}
