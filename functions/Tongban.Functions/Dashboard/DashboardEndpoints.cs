using System.Globalization;
using Dapper;
using Tongban.Domain;
using Tongban.Domain.Claims;
using Tongban.Domain.Province;
using Tongban.Domain.Reporting;
using Tongban.Hosting;
using Tongban.Security;
using Tongban.Storage;

namespace Tongban.Dashboard;

/// <summary>
/// The dashboard of a city or the province for the months <c>from</c>–<c>to</c> (China time). Money is in yuan (JSON
/// numbers, two decimals), counted from fen in the database.
/// </summary>
/// <param name="City">The city's code, or null for the whole province.</param>
/// <param name="Applications">Applications received in the period, by channel.</param>
/// <param name="Decisions">Applications decided in the period: timeliness, approvals, rejections by reason.</param>
/// <param name="Monthly">Applications received each month of the period, by channel; every month listed, zeros too.</param>
/// <param name="Payments">What the bank files of the runs for each benefit month of the period paid; every month listed.</param>
public sealed record DashboardView(string? City, string From, string To, ChannelFigures Applications, DecisionFigures Decisions,
    IReadOnlyList<MonthlyApplications> Monthly, IReadOnlyList<MonthlyPayments> Payments);

/// <summary>Applications by channel; <c>onlineShare</c> is 网办率, online ÷ total (0–1), null when there were none.</summary>
public sealed record ChannelFigures(long Total, long Online, long Counter, double? OnlineShare);

/// <summary>
/// Applications whose last decision in the period was an approval (复核通过) or a rejection — by automatic verification
/// or by a reviewer. <c>completionRate</c> is 办结率: decided within <c>deadlineWorkingDays</c> working days of receipt
/// ÷ decided (0–1, null when none); <c>averageWorkingDays</c> the mean from receipt to decision (one decimal).
/// </summary>
public sealed record DecisionFigures(long Decided, long Approved, long Rejected, long WithinDeadline, double? CompletionRate,
    double? AverageWorkingDays, int DeadlineWorkingDays, IReadOnlyList<RejectionReason> RejectionsByReason);

/// <summary>
/// Rejections for one reason: a verification finding's code (<c>voluntary-separation</c>, …; a case with two findings
/// counts under each), or <c>first-review</c> / <c>final-review</c> for a reviewer's rejection. Most frequent first.
/// </summary>
public sealed record RejectionReason(string Reason, long Count);

public sealed record MonthlyApplications(string Month, long Online, long Counter, long Total);

/// <summary>A benefit month's payments in the bank files of its runs (monthly and supplementary): lines, yuan paid, and the medical-insurance contribution paid for recipients (yuan).</summary>
public sealed record MonthlyPayments(string Month, long Payments, decimal Amount, decimal MedicalContribution);

/// <summary>
/// <c>GET /api/v1/dashboard</c>: supervisors see their city, administrators the province or a city they choose; reviewers
/// are refused. Every figure comes from a handful of GROUP BY queries, whatever the number of cases.
/// </summary>
public static class DashboardEndpoints
{
    /// <summary>The longest period one request may cover.</summary>
    public const int MaxMonths = 36;

    private const long DayMs = 86_400_000;
    private const long ChinaOffsetMs = 8 * 3_600_000;

    private const string DecisionTypes = "'verification-failed', 'first-review-rejected', 'final-review-rejected', 'final-review-approved'";

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/dashboard", GetAsync).RequireAuthorization(Principals.StaffPolicy).WithName("Dashboard")
            .Produces<DashboardView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Dashboard for months from–to (YYYY-MM, default the last twelve): applications by channel and 网办率, 办结率, " +
                         "working days to decision, approvals and rejections by reason, payments per month, applications per month. " +
                         "city: a city's (supervisors: their own, the default); without it administrators see the province. Amounts in yuan.");

    private static async Task<IResult> GetAsync(string? from, string? to, string? city, HttpContext http, Database database,
        ProvinceConfig province, TimeProvider clock)
    {
        var staff = http.User.Staff()!;
        if (staff.Role == StaffRole.Reviewer)
            return Problems.Refusal(403, "Forbidden", RefusalCode.DashboardNotAllowed, "The dashboard is for supervisors and administrators.");
        if (staff.Role == StaffRole.Supervisor)
        {
            if (city is not null && city != staff.CityCode)
                return Problems.Refusal(403, "Forbidden", RefusalCode.NotCitySupervisor, $"A supervisor sees the dashboard of their own city ({staff.CityCode}) only.");
            city = staff.CityCode;
        }

        var errors = new Dictionary<string, string[]>();
        var thisMonth = YearMonth.Of(Deadlines.LocalDate(clock.GetUtcNow()));
        var last = to is null ? thisMonth : YearMonth.TryParse(to, out var t) ? t : Invalid(errors, "to", "Expected a month, YYYY-MM.");
        var first = from is null ? last.AddMonths(-11) : YearMonth.TryParse(from, out var f) ? f : Invalid(errors, "from", "Expected a month, YYYY-MM.");
        if (errors.Count == 0 && last > thisMonth) errors["to"] = [$"At most this month ({thisMonth}): later months have nothing yet."];
        else if (errors.Count == 0 && first < Earliest) errors["from"] = [$"From {Earliest} on (the Unemployment Insurance Regulations of 1999)."];
        else if (errors.Count == 0 && first > last) errors["from"] = ["The first month comes after the last (to)."];
        else if (errors.Count == 0 && last.MonthsSinceInclusive(first) > MaxMonths) errors["from"] = [$"At most {MaxMonths} months at a time."];
        if (city is not null && province.FindCity(city) is null) errors["city"] = [$"No city {city} in {province.Name}."];
        if (errors.Count > 0) return Problems.Invalid(errors);

        var start = StartOf(first);
        var end = StartOf(last.AddMonths(1));
        var args = new { start, end, city, first = first.ToString(), last = last.ToString() };
        var sqlite = database.Provider == DatabaseProvider.Sqlite;
        var cityOf = "COALESCE(a.insuring_city, substr(a.accepting_office, 1, 6))";
        var inCity = city is null ? "" : $"AND {cityOf} = @city";
        var month = sqlite
            ? $"strftime('%Y-%m', (a.received_at + {ChinaOffsetMs}) / 1000, 'unixepoch')"
            : $"to_char(to_timestamp((a.received_at + {ChinaOffsetMs}) / 1000) AT TIME ZONE 'UTC', 'YYYY-MM')";
        var findings = sqlite ? "json_extract(l.data_json, '$.findings')" : "(l.data_json::json ->> 'findings')";

        await using var connection = await database.OpenAsync(http.RequestAborted);
        var received = (await connection.QueryAsync<(string Month, string Channel, long Count)>(
            $"""
             SELECT {month} AS month, a.channel, COUNT(*) AS count
             FROM applications a
             WHERE a.received_at >= @start AND a.received_at < @end {inCity}
             GROUP BY 1, 2
             """, args)).ToList();
        // An application's last decision in the period is the one that counts: a rejection 二次审核 re-opened and a
        // reviewer then approved is an approval.
        var decisions = (await connection.QueryAsync<(string Type, string? Findings, long ReceivedDay, long DecidedDay, long Count)>(
            $"""
             WITH latest AS (
                 SELECT e.application_id, e.at, e.type, e.data_json,
                        ROW_NUMBER() OVER (PARTITION BY e.application_id ORDER BY e.seq DESC) AS n
                 FROM application_events e
                 WHERE e.type IN ({DecisionTypes}) AND e.at >= @start AND e.at < @end
             )
             SELECT l.type, CASE WHEN l.type = 'verification-failed' THEN {findings} END AS findings,
                    (a.received_at + {ChinaOffsetMs}) / {DayMs} AS received_day, (l.at + {ChinaOffsetMs}) / {DayMs} AS decided_day,
                    COUNT(*) AS count
             FROM latest l JOIN applications a ON a.id = l.application_id
             WHERE l.n = 1 {inCity}
             GROUP BY 1, 2, 3, 4
             """, args)).ToList();
        var payments = (await connection.QueryAsync<(string Month, long Payments, long AmountFen, long MedicalFen)>(
            $"""
             SELECT r.period AS month, SUM(f.payments) AS payments, SUM(f.amount_fen) AS amount_fen, SUM(f.medical_fen) AS medical_fen
             FROM payout_files f JOIN payout_runs r ON r.id = f.run_id
             WHERE r.period >= @first AND r.period <= @last {(city is null ? "" : "AND f.city_code = @city")}
             GROUP BY r.period
             """, args)).ToDictionary(p => p.Month);

        var months = Enumerable.Range(0, last.MonthsSinceInclusive(first)).Select(i => first.AddMonths(i).ToString()).ToList();
        var monthly = months.Select(m =>
        {
            long Count(string channel) => received.Where(r => r.Month == m && r.Channel == channel).Sum(r => r.Count);
            var all = received.Where(r => r.Month == m).Sum(r => r.Count);
            return new MonthlyApplications(m, Count("online"), Count("counter"), all);
        }).ToList();
        var total = monthly.Sum(m => m.Total);
        var online = monthly.Sum(m => m.Online);

        var timeliness = DecisionTimeliness.Of(decisions.Select(d => new DecisionDays(Day(d.ReceivedDay), Day(d.DecidedDay), d.Count)),
            province.Calendar, province.Deadlines.DecisionWorkingDays);
        var reasons = decisions.Where(d => d.Type != "final-review-approved")
            .SelectMany(d => ReasonsOf(d.Type, d.Findings).Select(reason => (Reason: reason, d.Count)))
            .GroupBy(r => r.Reason).Select(g => new RejectionReason(g.Key, g.Sum(r => r.Count)))
            .OrderByDescending(r => r.Count).ThenBy(r => r.Reason, StringComparer.Ordinal).ToList();
        var approved = decisions.Where(d => d.Type == "final-review-approved").Sum(d => d.Count);

        return TypedResults.Ok(new DashboardView(city, first.ToString(), last.ToString(),
            new ChannelFigures(total, online, monthly.Sum(m => m.Counter), total == 0 ? null : (double)online / total),
            new DecisionFigures(timeliness.Decided, approved, timeliness.Decided - approved, timeliness.WithinDeadline,
                timeliness.CompletionRate, timeliness.AverageWorkingDays, province.Deadlines.DecisionWorkingDays, reasons),
            monthly,
            months.Select(m => payments.TryGetValue(m, out var p)
                ? new MonthlyPayments(m, p.Payments, p.AmountFen / 100m, p.MedicalFen / 100m)
                : new MonthlyPayments(m, 0, 0m, 0m)).ToList()));
    }

    private static IEnumerable<string> ReasonsOf(string type, string? findings) => type switch
    {
        "first-review-rejected" => ["first-review"],
        "final-review-rejected" => ["final-review"],
        _ => (findings ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
    };

    /// <summary>The first month a dashboard reaches back to: unemployment insurance began with the 1999 regulations.</summary>
    private static readonly YearMonth Earliest = new(1999, 1);

    private static YearMonth Invalid(Dictionary<string, string[]> errors, string field, string message)
    {
        errors[field] = [message];
        return default;
    }

    /// <summary>Midnight China time on the month's first day, as the epoch milliseconds the tables store.</summary>
    private static long StartOf(YearMonth month) =>
        new DateTimeOffset(month.FirstDay.ToDateTime(TimeOnly.MinValue), Deadlines.ChinaStandardTime).ToUnixTimeMilliseconds();

    private static DateOnly Day(long chinaDayNumber) => DateOnly.FromDayNumber((int)(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + chinaDayNumber));
}
