using Tongban.Domain.Calendar;

namespace Tongban.Domain.Reporting;

/// <summary>
/// Decisions counted by the day their case was received and the day it was decided, both China time: what the
/// dashboard's query groups by, so the working-day arithmetic runs once per pair of days, never once per case.
/// </summary>
public sealed record DecisionDays(DateOnly Received, DateOnly Decided, long Count);

/// <summary>
/// How promptly a set of cases was decided (办结): <see cref="Decided"/> cases, <see cref="WithinDeadline"/> of them by
/// the end of their decision deadline's day, and the mean working days from receipt to decision.
/// </summary>
public sealed record DecisionTimeliness(long Decided, long WithinDeadline, double? AverageWorkingDays)
{
    /// <summary>办结率: the share of decided cases decided within the deadline, 0–1; null when nothing was decided.</summary>
    public double? CompletionRate => Decided == 0 ? null : (double)WithinDeadline / Decided;

    /// <summary>
    /// Sums the groups: a case is within the deadline when decided on or before the
    /// <paramref name="decisionWorkingDays"/>-th working day after receipt (the due day <see cref="Claims.Deadlines"/>
    /// gives); its working days are those after the day of receipt up to the day of decision
    /// (<see cref="WorkingDayCalendar.WorkingDaysBetween"/>). The mean is rounded to one decimal.
    /// </summary>
    public static DecisionTimeliness Of(IEnumerable<DecisionDays> groups, WorkingDayCalendar calendar, int decisionWorkingDays)
    {
        long decided = 0, within = 0, workingDays = 0;
        foreach (var group in groups)
        {
            decided += group.Count;
            if (group.Decided <= calendar.AddWorkingDays(group.Received, decisionWorkingDays)) within += group.Count;
            workingDays += calendar.WorkingDaysBetween(group.Received, group.Decided) * group.Count;
        }
        return new DecisionTimeliness(decided, within, decided == 0 ? null : Math.Round((double)workingDays / decided, 1));
    }
}
