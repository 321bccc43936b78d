using System.Data.Common;
using System.Globalization;
using Dapper;
using Tongban.Applications;
using Tongban.Domain.Claims;
using Tongban.Domain.Province;
using Tongban.Domain.Routing;
using Tongban.Hosting;
using Tongban.Security;
using Tongban.Storage;

namespace Tongban.Supervision;

/// <summary>
/// One office's open work: cases at first and final review it holds, how many of them are past their deadline, and its
/// reviewers (<c>reviewers</c> in the province file; <c>onDuty</c> today as the supervisor set it, null when not set).
/// </summary>
public sealed record OfficeWork(string Code, string Name, int Reviewers, int? OnDuty, int FirstReview, int FinalReview, int Overdue);

/// <summary>A case waiting for review in the city; <c>assignedReviewer</c> when the supervisor named one for this stage.</summary>
public sealed record OpenCase(string ApplicationId, string CaseNumber, string Status, string AssignedOffice, string? AssignedReviewer,
    DateTimeOffset ReceivedAt, DateTimeOffset? DueAt, bool Overdue);

/// <summary>
/// The city's open work (<c>GET /supervision/overview</c>): each office's counts, and the cases themselves, overdue first
/// then oldest first (at most <see cref="SupervisionEndpoints.CaseLimit"/>; the counts are always complete).
/// </summary>
public sealed record CityOverview(string CityCode, string CityName, string Day, IReadOnlyList<OfficeWork> Offices, IReadOnlyList<OpenCase> Cases);

/// <summary>One office's reviewers on a day: the province file's figure, and the supervisor's for the day (null: not set).</summary>
public sealed record OfficeStaffing(string Code, string Name, int Reviewers, int? OnDuty, string? SetBy, DateTimeOffset? SetAt);

/// <summary>The reviewers on duty in each office of the city on <c>date</c> (YYYY-MM-DD, China).</summary>
public sealed record CityStaffing(string CityCode, string Date, IReadOnlyList<OfficeStaffing> Offices);

/// <summary>The day's staffing to set: <c>date</c> YYYY-MM-DD (today or up to 60 days ahead), reviewers 0 to 99 per office.</summary>
public sealed record StaffingRequest(string? Date, IReadOnlyList<OfficeStaffingRequest>? Offices);

/// <summary>One office's reviewers on duty for the day: <c>office</c> an office code of the supervisor's city, <c>reviewers</c> 0 to 99.</summary>
public sealed record OfficeStaffingRequest(string? Office, int? Reviewers);

/// <summary>An application that a registry change re-opened after automatic verification had rejected it (二次审核), as it stands now.</summary>
public sealed record RecheckedCase(string ApplicationId, string CaseNumber, string Status, string? AssignedOffice, DateTimeOffset ReceivedAt,
    DateTimeOffset RecheckedAt, DateTimeOffset? DueAt, bool Overdue);

/// <summary>
/// The city supervisor's views and staffing (主管): open work and overdue cases per office, reviewers on duty per office
/// per day (which online applications are spread by, <see cref="OfficeAllocation"/>), and the applications 二次审核 re-opened.
/// Each for the supervisor's own city; anyone else gets 403 (<see cref="Supervisors"/>).
/// </summary>
public static class SupervisionEndpoints
{
    /// <summary>Cases listed at most in the overview and the 二次审核 list (the overview's counts are always complete).</summary>
    public const int CaseLimit = 500;

    /// <summary>Reviewers on duty an office may be given for a day.</summary>
    public const int MaxReviewers = 99;

    /// <summary>How far ahead a day's staffing may be set; days past keep what they were set to.</summary>
    public const int DaysAhead = 60;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/supervision/overview", OverviewAsync).RequireAuthorization(Principals.StaffPolicy).WithName("SupervisionOverview")
            .WithSummary("City supervisor: each office's open work by stage, overdue counts, and the open cases")
            .Produces<CityOverview>().ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapGet("/supervision/staffing", GetStaffingAsync).RequireAuthorization(Principals.StaffPolicy).WithName("GetStaffing")
            .WithSummary("City supervisor: reviewers on duty per office on a day (date=YYYY-MM-DD, default today)")
            .Produces<CityStaffing>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapPut("/supervision/staffing", SetStaffingAsync).RequireAuthorization(Principals.StaffPolicy).WithName("SetStaffing")
            .WithSummary("City supervisor: set reviewers on duty per office for a day; online applications are spread by them")
            .Produces<CityStaffing>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapGet("/supervision/rechecks", RechecksAsync).RequireAuthorization(Principals.StaffPolicy).WithName("SupervisionRechecks")
            .WithSummary("City supervisor: rejected applications that registry changes re-opened (二次审核)")
            .Produces<RecheckedCase[]>().ProducesProblem(StatusCodes.Status403Forbidden);
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task<IResult> OverviewAsync(HttpContext http, Database database, ProvinceConfig province, TimeProvider clock)
    {
        var (_, city, refusal) = Supervisors.Resolve(http, province);
        if (refusal is not null) return refusal;
        var now = clock.GetUtcNow();
        var today = Deadlines.LocalDate(now);
        var parameters = new { cityOffices = city.Code + "-%", now = now.ToUnixTimeMilliseconds(), day = Day(today) };
        await using var connection = await database.OpenAsync(http.RequestAborted);
        var counts = (await connection.QueryAsync<CountRow>(
            """
            SELECT assigned_office AS office,
                   SUM(CASE WHEN status = 'first-review' THEN 1 ELSE 0 END) AS first_review,
                   SUM(CASE WHEN status = 'final-review' THEN 1 ELSE 0 END) AS final_review,
                   SUM(CASE WHEN due_at < @now THEN 1 ELSE 0 END) AS overdue
            FROM applications
            WHERE status IN ('first-review', 'final-review') AND assigned_office LIKE @cityOffices
            GROUP BY assigned_office
            """, parameters)).ToDictionary(r => r.Office);
        var onDuty = await OnDutyAsync(connection, city, parameters.day);
        var cases = await connection.QueryAsync<CaseRow>(
            $"""
             SELECT id, case_number, status, assigned_office,
                    CASE WHEN assigned_reviewer_stage = status THEN assigned_reviewer END AS assigned_reviewer, received_at, due_at
             FROM applications
             WHERE status IN ('first-review', 'final-review') AND assigned_office LIKE @cityOffices
             ORDER BY CASE WHEN due_at < @now THEN 0 ELSE 1 END, received_at
             LIMIT {CaseLimit}
             """, parameters);
        var offices = city.Offices.Select(o =>
        {
            var row = counts.GetValueOrDefault(o.Code);
            return new OfficeWork(o.Code, o.Name, o.Reviewers, onDuty.TryGetValue(o.Code, out var set) ? (int)set.Reviewers : null,
                (int)(row?.FirstReview ?? 0), (int)(row?.FinalReview ?? 0), (int)(row?.Overdue ?? 0));
        }).ToList();
        return TypedResults.Ok(new CityOverview(city.Code, city.Name, parameters.day, offices,
            cases.Select(r => new OpenCase(r.Id, r.CaseNumber, r.Status, r.AssignedOffice, r.AssignedReviewer, ApplicationViews.Time(r.ReceivedAt),
                r.DueAt is { } due ? ApplicationViews.Time(due) : null, r.DueAt < parameters.now)).ToList()));
    }

    private static async Task<IResult> GetStaffingAsync(string? date, HttpContext http, Database database, ProvinceConfig province, TimeProvider clock)
    {
        var (_, city, refusal) = Supervisors.Resolve(http, province);
        if (refusal is not null) return refusal;
        var day = Deadlines.LocalDate(clock.GetUtcNow());
        if (date is not null && !DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
            return Problems.Invalid("date", "As YYYY-MM-DD.");
        await using var connection = await database.OpenAsync(http.RequestAborted);
        return TypedResults.Ok(await StaffingAsync(connection, city, Day(day)));
    }

    private static async Task<IResult> SetStaffingAsync(HttpContext http, Database database, ProvinceConfig province, TimeProvider clock)
    {
        var (supervisor, city, refusal) = Supervisors.Resolve(http, province);
        if (refusal is not null) return refusal;
        var (request, problem) = await JsonBody.ReadAsync<StaffingRequest>(http.Request);
        if (problem is not null) return problem;
        var now = clock.GetUtcNow();
        var today = Deadlines.LocalDate(now);
        if (!DateOnly.TryParseExact(request!.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return Problems.Invalid("date", string.IsNullOrEmpty(request.Date) ? "Required, as YYYY-MM-DD." : "Not a real date, as YYYY-MM-DD.");
        if (day < today || day > today.AddDays(DaysAhead))
            return Problems.Invalid("date", $"From today ({Day(today)}) to {DaysAhead} days ahead: past days' staffing stays as it was.");
        if (request.Offices is not { Count: > 0 } entries) return Problems.Invalid("offices", "Required: at least one office and its reviewers.");
        var errors = new Dictionary<string, string[]>();
        var seen = new HashSet<string>();
        for (var i = 0; i < entries.Count; i++)
        {
            var code = entries[i].Office?.Trim();
            if (code is null || province.FindOffice(code) is null) errors[$"offices[{i}].office"] = ["No such office in this province."];
            else if (!city.Offices.Any(o => o.Code == code))
                return Problems.Refusal(403, "Forbidden", RefusalCode.OfficeOutsideCity, $"Office {code} is not an office of city {city.Code}.");
            else if (!seen.Add(code)) errors[$"offices[{i}].office"] = ["Given twice."];
            if (entries[i].Reviewers is not (>= 0 and <= MaxReviewers)) errors[$"offices[{i}].reviewers"] = [$"Required: 0 to {MaxReviewers}."];
        }
        if (errors.Count > 0) return Problems.Invalid(errors);

        var staffing = await database.InTransactionAsync(async (c, t) =>
        {
            await c.ExecuteAsync(
                """
                INSERT INTO office_staffing (office_code, day, reviewers, set_by, set_at) VALUES (@office, @day, @reviewers, @setBy, @setAt)
                ON CONFLICT (office_code, day) DO UPDATE SET reviewers = excluded.reviewers, set_by = excluded.set_by, set_at = excluded.set_at
                """,
                entries.Select(e => new
                {
                    office = e.Office!.Trim(), day = Day(day), reviewers = (long)e.Reviewers!.Value, setBy = supervisor.Username,
                    setAt = now.ToUnixTimeMilliseconds(),
                }), t);
            return await StaffingAsync(c, city, Day(day), t);
        }, http.RequestAborted);
        return TypedResults.Ok(staffing);
    }

    private static async Task<IResult> RechecksAsync(HttpContext http, Database database, ProvinceConfig province, TimeProvider clock)
    {
        var (_, city, refusal) = Supervisors.Resolve(http, province);
        if (refusal is not null) return refusal;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(http.RequestAborted);
        var rows = await connection.QueryAsync<RecheckRow>(
            $"""
             SELECT a.id, a.case_number, a.status, a.assigned_office, a.received_at, a.due_at, MAX(e.at) AS rechecked_at
             FROM applications a JOIN application_events e ON e.application_id = a.id AND e.type = 'rechecked'
             WHERE a.insuring_city = @city
             GROUP BY a.id, a.case_number, a.status, a.assigned_office, a.received_at, a.due_at
             ORDER BY MAX(e.at) DESC
             LIMIT {CaseLimit}
             """, new { city = city.Code });
        var atReview = new[] { ClaimStatus.FirstReview.Code(), ClaimStatus.FinalReview.Code() };
        return TypedResults.Ok(rows.Select(r => new RecheckedCase(r.Id, r.CaseNumber, r.Status, r.AssignedOffice, ApplicationViews.Time(r.ReceivedAt),
            ApplicationViews.Time(r.RecheckedAt), r.DueAt is { } due ? ApplicationViews.Time(due) : null,
            atReview.Contains(r.Status) && r.DueAt < now)).ToList());
    }

    private static async Task<Dictionary<string, StaffingRow>> OnDutyAsync(DbConnection connection, City city, string day,
        DbTransaction? transaction = null) =>
        (await connection.QueryAsync<StaffingRow>(
            "SELECT office_code, reviewers, set_by, set_at FROM office_staffing WHERE day = @day AND office_code LIKE @cityOffices",
            new { day, cityOffices = city.Code + "-%" }, transaction)).ToDictionary(r => r.OfficeCode);

    private static async Task<CityStaffing> StaffingAsync(DbConnection connection, City city, string day,
        DbTransaction? transaction = null)
    {
        var set = await OnDutyAsync(connection, city, day, transaction);
        return new CityStaffing(city.Code, day, city.Offices.Select(o => set.TryGetValue(o.Code, out var row)
            ? new OfficeStaffing(o.Code, o.Name, o.Reviewers, (int)row.Reviewers, row.SetBy, ApplicationViews.Time(row.SetAt))
            : new OfficeStaffing(o.Code, o.Name, o.Reviewers, null, null, null)).ToList());
    }

    private sealed class CountRow
    {
        public string Office { get; init; } = "";
        public long FirstReview { get; init; }
        public long FinalReview { get; init; }
        public long Overdue { get; init; }
    }

    private sealed class CaseRow
    {
        public string Id { get; init; } = "";
        public string CaseNumber { get; init; } = "";
        public string Status { get; init; } = "";
        public string AssignedOffice { get; init; } = "";
        public string? AssignedReviewer { get; init; }
        public long ReceivedAt { get; init; }
        public long? DueAt { get; init; }
    }

    private sealed class StaffingRow
    {
        public string OfficeCode { get; init; } = "";
        public long Reviewers { get; init; }
        public string SetBy { get; init; } = "";
        public long SetAt { get; init; }
    }

    private sealed class RecheckRow
    {
        public string Id { get; init; } = "";
        public string CaseNumber { get; init; } = "";
        public string Status { get; init; } = "";
        public string? AssignedOffice { get; init; }
        public long ReceivedAt { get; init; }
        public long? DueAt { get; init; }
        public long RecheckedAt { get; init; }
    }
}
