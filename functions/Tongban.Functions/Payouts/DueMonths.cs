using Tongban.Domain;
using Tongban.Domain.Claims;

namespace Tongban.Payouts;

/// <summary>
/// The months a monthly job (the payout run, the recipients' export) is due for. Its timer fires daily and at
/// start-up, and the job does each month once however often it fires, so a month missed while everything was down is
/// still caught up the next time it fires.
/// </summary>
public static class DueMonths
{
    /// <summary>
    /// From <paramref name="day"/> of a month (China time) on, that month ("YYYY-MM"); and always the month before, so
    /// a month whose day passed while nothing ran is caught up.
    /// </summary>
    public static IReadOnlyList<string> Since(int day, DateTimeOffset now)
    {
        var today = Deadlines.LocalDate(now);
        var month = YearMonth.Of(today);
        return today.Day >= day ? [month.AddMonths(-1).ToString(), month.ToString()] : [month.AddMonths(-1).ToString()];
    }
}
