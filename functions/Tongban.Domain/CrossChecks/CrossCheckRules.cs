using Tongban.Domain.Calendar;
using Tongban.Domain.Claims;
using Tongban.Domain.Entitlements;
using Tongban.Domain.Payouts;

namespace Tongban.Domain.CrossChecks;

/// <summary>
/// What a comparison line says the person has elsewhere (the contract's <c>kind</c>), and the stop event a confirmed
/// match of it is (失业保险条例 art. 15; 社会保险法 art. 51): insured or employed again → re-employment; a basic pension →
/// pension; a death is reported by the family (<see cref="StopEvents.Died"/>), never confirmed from a comparison alone.
/// </summary>
public static class CrossCheckKinds
{
    public const string Insured = "insured";
    public const string Employed = "employed";
    public const string Pension = "pension";
    public const string Deceased = "deceased";

    /// <summary>Each kind in plain words, for staff pages and the SMS to the recipient.</summary>
    public static readonly IReadOnlyDictionary<string, string> Descriptions = new Dictionary<string, string>
    {
        [Insured] = "参加社会保险",
        [Employed] = "就业",
        [Pension] = "领取基本养老金",
        [Deceased] = "死亡登记",
    };

    /// <summary>The stop event a confirmed match of <paramref name="kind"/> reports; null for a death (the family reports it).</summary>
    public static string? StopEvent(string kind) => kind switch
    {
        Insured or Employed => "reemployed",
        Pension => StopEvents.PensionStarted,
        _ => null,
    };
}

/// <summary>Where a match came from: the national comparison file (seed 001), or the province's own registry (seed 004).</summary>
public static class CrossCheckSources
{
    public const string National = "national";
    public const string InProvince = "in-province";
}

/// <summary>A run of whole months, both ends included.</summary>
public readonly record struct MonthRange(YearMonth First, YearMonth Last)
{
    public int Count => Last.MonthsSinceInclusive(First);
}

/// <summary>
/// The rules of a cross-province or in-province match (issue 12): months, not status — a case elsewhere that is closed
/// now may still have paid or insured the months this claim pays (DOMAIN.md, 不重不漏), so a match is judged by the months
/// both cover; a person decides what follows.
/// </summary>
public static class CrossCheckRules
{
    /// <summary>
    /// The months of the period elsewhere (<paramref name="since"/> to <paramref name="until"/>, open-ended when null) that
    /// this entitlement pays: from its first month to its last, or to the last month a stop on <paramref name="stoppedOn"/>
    /// still pays under <paramref name="rule"/>. Null when they share no month (the line is counted as no overlap).
    /// </summary>
    public static MonthRange? Overlap(Entitlement entitlement, DateOnly? stoppedOn, PartialMonthRule rule, DateOnly since, DateOnly? until)
    {
        if (until is { } end && end < since) return null;
        var lastPaid = stoppedOn is { } stop ? entitlement.LastPaidMonth(stop, rule) : entitlement.EndMonth;
        if (lastPaid is not { } last) return null;
        var first = Max(entitlement.StartMonth, YearMonth.Of(since));
        var to = until is { } u ? Min(last, YearMonth.Of(u)) : last;
        return first <= to ? new MonthRange(first, to) : null;
    }

    /// <summary>
    /// The first month a match holds back in fact, which its hold SMS names: the first month of its overlap, or the first
    /// after it that no payout run has taken yet (<paramref name="taken"/>: months whose benefit a run has paid or sent to
    /// the bank). Runs pay none of a suspended claim's months from the overlap on, but they cannot take back a month
    /// already paid or at the bank.
    /// </summary>
    public static YearMonth FirstHeld(MonthRange overlap, IReadOnlySet<YearMonth> taken)
    {
        var month = overlap.First;
        while (taken.Contains(month)) month = month.AddMonths(1);
        return month;
    }

    /// <summary>
    /// From which month a suspended claim is held: the earliest first overlapping month of its open matches; null when
    /// none is open (the suspension lifts).
    /// </summary>
    public static YearMonth? SuspendedFrom(IEnumerable<YearMonth> openMatchesFrom) =>
        openMatchesFrom.Select(m => (YearMonth?)m).DefaultIfEmpty(null).Min();

    /// <summary>
    /// The end of the <paramref name="workingDays"/>-th working day after <paramref name="from"/> (China time, on the province
    /// calendar): when an undecided match escalates (<c>CrossChecks:DecisionWorkingDays</c>) and until when the recipient may
    /// contest it (<c>CrossChecks:ContestWorkingDays</c>).
    /// </summary>
    public static DateTimeOffset DueAt(DateTimeOffset from, int workingDays, WorkingDayCalendar calendar)
    {
        var day = calendar.AddWorkingDays(Deadlines.LocalDate(from), workingDays);
        return new DateTimeOffset(day.ToDateTime(new TimeOnly(23, 59, 59)), Deadlines.ChinaStandardTime);
    }

    /// <summary>
    /// The held months a decision makes due again: from the month the claim was held from (<paramref name="heldFrom"/>)
    /// up to the month before it stays held from (<paramref name="stillHeldFrom"/>, null when the suspension lifts), no
    /// later than the last month a run has been made for (<paramref name="latestRun"/>; later months are paid by their own
    /// runs) nor the last month the entitlement pays after the decision (<paramref name="lastPaid"/>). Empty when none.
    /// </summary>
    public static IReadOnlyList<YearMonth> Released(YearMonth heldFrom, YearMonth? stillHeldFrom, YearMonth latestRun, YearMonth? lastPaid)
    {
        if (lastPaid is not { } last) return [];
        var to = Min(Min(latestRun, last), stillHeldFrom is { } still ? still.AddMonths(-1) : last);
        var months = new List<YearMonth>();
        for (var m = heldFrom; m <= to; m = m.AddMonths(1)) months.Add(m);
        return months;
    }

    private static YearMonth Max(YearMonth a, YearMonth b) => a > b ? a : b;
    private static YearMonth Min(YearMonth a, YearMonth b) => a < b ? a : b;
}

/// <summary>
/// A match as the state machine reads it: its id, where it came from (<see cref="CrossCheckSources"/>), the province (or,
/// in-province, the city code) and kind elsewhere (<see cref="CrossCheckKinds"/>), the period there (<see cref="Until"/>
/// null while it goes on) and the months this claim pays within it.
/// </summary>
public sealed record CrossCheckMatch(string Id, string Source, string Province, string Kind, DateOnly Since, DateOnly? Until, MonthRange Overlap)
{
    /// <summary>The evidence, as the case history keeps it.</summary>
    public Dictionary<string, string> Evidence() => new()
    {
        ["matchId"] = Id,
        ["source"] = Source,
        ["province"] = Province,
        ["kind"] = Kind,
        ["since"] = Since.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        ["until"] = Until?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "",
        ["overlapFrom"] = Overlap.First.ToString(),
        ["overlapTo"] = Overlap.Last.ToString(),
        ["overlapMonths"] = Overlap.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
