using System.Globalization;
using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using Tongban.Applications;
using Tongban.Domain.Claims;
using Tongban.Domain.CrossChecks;
using Tongban.Domain.PersonalData;
using Tongban.Hosting;
using Tongban.PersonalData;
using Tongban.Registry;
using Tongban.Security;
using Tongban.Storage;

namespace Tongban.CrossChecks;

/// <summary>A decision on a match: <c>confirm</c> or <c>dismiss</c>, an opinion (required), and for confirm the stop date (YYYY-MM-DD).</summary>
public sealed record MatchDecisionRequest(string? Decision, string? Opinion, string? StopDate);

/// <summary>The recipient's statement contesting a match, as staff took it down (at most 2000 characters).</summary>
public sealed record MatchContestRequest(string? Statement);

/// <summary>A statement contesting a match: when, by whom and at which office it was taken down.</summary>
public sealed record MatchContestView(DateTimeOffset At, string Actor, string? Office, string Statement);

/// <summary>
/// A match as staff of the insuring city see it: the claim (case number; name and identity number masked), the evidence —
/// source (<c>national</c> | <c>in-province</c>), province (or city code in-province), kind, the period elsewhere
/// (<c>since</c>, <c>until</c> null while it goes on, YYYY-MM-DD), the months both cover (<c>overlapFrom</c>..<c>overlapTo</c>,
/// YYYY-MM, <c>overlapMonths</c>) — its status (open | escalated | decided), when it was stored, when it escalates
/// (<c>deadlineAt</c>) and until when it may be contested, the statements contesting it, once decided the decision; and
/// the name the comparison file gave (masked; null in-province) with whether it differs from the recipient's
/// (<c>nameDiffers</c>: evidence for the decision, a line is never refused for it).
/// </summary>
public sealed record MatchView(string MatchId, string ApplicationId, string CaseNumber, string Name, string IdNumber, string InsuringCity,
    string Source, string Province, string Kind, string KindName, string Since, string? Until, string OverlapFrom, string OverlapTo,
    int OverlapMonths, string Status, DateTimeOffset CreatedAt, DateTimeOffset DeadlineAt, DateTimeOffset? EscalatedAt,
    DateTimeOffset ContestUntil, IReadOnlyList<MatchContestView> Contests, string? Decision, string? Opinion, string? StopDate,
    string? DecidedBy, DateTimeOffset? DecidedAt, string? ReportedName, bool NameDiffers);

/// <summary>What a decision answered: the match, the decision and the claim's status after it.</summary>
public sealed record MatchDecisionResponse(string MatchId, string ApplicationId, string Decision, string Status);

/// <summary>What a contest answered: the match and its status, which the statement does not change.</summary>
public sealed record MatchContestResponse(string MatchId, string Status);

/// <summary>
/// The cross-province check's HTTP side (contract: Cross-province checks; issue 12): the import of the national comparison
/// result, the insuring city's list of matches, a decision, and a contest taken down at any office.
/// </summary>
public static class CrossCheckEndpoints
{
    /// <summary>A comparison result of millions of lines is streamed; this bounds one request.</summary>
    public const long MaxCsvBytes = 2L * 1024 * 1024 * 1024;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/admin/cross-checks", ImportAsync).RequireAuthorization(Principals.AdministratorPolicy).WithName("ImportCrossChecks")
            .WithMetadata(new RequestSizeLimitAttribute(MaxCsvBytes))
            .Accepts<string>("text/csv")
            .Produces<CrossCheckImportResult>().ProducesValidationProblem()
            .WithSummary("Import the national comparison result (CSV idNumber,name,province,kind,since[,until]): matches suspend and wait for a decision");
        api.MapGet("/cross-check-matches", ListAsync).RequireAuthorization(Principals.StaffPolicy).WithName("ListCrossCheckMatches")
            .Produces<MatchView[]>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Matches of the caller's city by status (open, escalated, decided), with their evidence; personal data masked");
        api.MapPost("/cross-check-matches/{id}/decision", DecideAsync).RequireAuthorization(Principals.StaffPolicy).WithName("DecideCrossCheckMatch")
            .Produces<MatchDecisionResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Confirm (a stop event dated stopDate) or dismiss (the suspension lifts) a match; 409 when already decided");
        api.MapPost("/cross-check-matches/{id}/contest", ContestAsync).RequireAuthorization(Principals.StaffPolicy).WithName("ContestCrossCheckMatch")
            .WithSummary("Record the recipient's statement contesting a match, at any office, within the contest window")
            .Produces<MatchContestResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> ImportAsync(HttpContext http, CrossCheckImport import, CrossCheckReconciler reconciler, DurableTaskClient durable,
        ILogger<CrossCheckImport> log)
    {
        if (CsvUploads.Unsupported(http.Request) is { } unsupported) return unsupported;
        CrossCheckImportResult result;
        try
        {
            result = await import.ImportCsvAsync(http.Request.Body, http.User.Identity!.Name!, http.RequestAborted);
        }
        catch (InvalidCsvException e)
        {
            return Problems.Invalid("$", e.Message);
        }
        // The matches and their suspensions have committed; their orchestrations start now, or at the next reconcile.
        await StartMissingAsync(reconciler, durable, log);
        return TypedResults.Ok(result);
    }

    /// <summary>Starts the orchestrations of new matches; a failure is logged and left to the periodic reconcile.</summary>
    internal static async Task StartMissingAsync(CrossCheckReconciler reconciler, DurableTaskClient durable, ILogger log)
    {
        try
        {
            await reconciler.ReconcileAsync(durable, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Match orchestrations were not started; the reconciler will start them");
        }
    }

    private static async Task<IResult> ListAsync(string? status, HttpContext http, Database database, PersonalDataProtector protector)
    {
        status ??= MatchStatus.Open;
        if (status is not (MatchStatus.Open or MatchStatus.Escalated or MatchStatus.Decided))
            return Problems.Invalid("status", "Must be 'open', 'escalated' or 'decided'.");
        var staff = http.User.Staff()!;
        if (staff.Role is not (StaffRole.Reviewer or StaffRole.Supervisor) || staff.CityCode is null)
            return Problems.Refusal(403, "Forbidden", RefusalCode.MatchesForReviewers, "Matches are seen by reviewers and supervisors of the insuring city.");
        await using var c = await database.OpenAsync(http.RequestAborted);
        var rows = (await c.QueryAsync<Row>(
            """
            SELECT m.id, m.application_id, a.case_number, a.name_enc, a.id_number_enc, m.insuring_city, m.source, m.province, m.kind,
                   m.since, m.until, m.overlap_from, m.overlap_to, m.status, m.created_at, m.deadline_at, m.escalated_at, m.contest_until,
                   m.decision, m.opinion, m.stop_date, m.decided_by, m.decided_at, m.reported_name_enc, m.name_differs
            FROM cross_check_matches m JOIN applications a ON a.id = m.application_id
            WHERE m.insuring_city = @city AND m.status = @status
            ORDER BY m.created_at, m.id LIMIT 500
            """, new { city = staff.CityCode, status })).ToList();
        var ids = rows.Select(r => r.Id).ToArray();
        var contests = (ids.Length == 0 ? [] : await c.QueryAsync<ContestRow>(
                $"SELECT match_id, at, actor, office, statement FROM cross_check_contests WHERE {database.In("match_id", "ids")} ORDER BY at",
                new { ids }))
            .ToLookup(x => x.MatchId);
        return TypedResults.Ok(rows.Select(r =>
        {
            var overlap = new MonthRange(Domain.YearMonth.Parse(r.OverlapFrom), Domain.YearMonth.Parse(r.OverlapTo));
            return new MatchView(r.Id, r.ApplicationId, r.CaseNumber, Mask.Name(protector.Decrypt(r.NameEnc)), Mask.IdNumber(protector.Decrypt(r.IdNumberEnc)),
                r.InsuringCity, r.Source, r.Province, r.Kind, CrossCheckKinds.Descriptions.GetValueOrDefault(r.Kind, r.Kind), r.Since, r.Until,
                r.OverlapFrom, r.OverlapTo, overlap.Count, r.Status, ApplicationViews.Time(r.CreatedAt), ApplicationViews.Time(r.DeadlineAt),
                r.EscalatedAt is { } e ? ApplicationViews.Time(e) : null, ApplicationViews.Time(r.ContestUntil),
                contests[r.Id].Select(x => new MatchContestView(ApplicationViews.Time(x.At), x.Actor, x.Office, x.Statement)).ToList(),
                r.Decision, r.Opinion, r.StopDate, r.DecidedBy, r.DecidedAt is { } d ? ApplicationViews.Time(d) : null,
                r.ReportedNameEnc is { } reported ? Mask.Name(protector.Decrypt(reported)) : null, r.NameDiffers != 0);
        }).ToList());
    }

    private static async Task<IResult> DecideAsync(string id, HttpContext http, CrossCheckMatches matches, DurableTaskClient durable,
        ILogger<CrossCheckMatches> log)
    {
        var (request, problem) = await JsonBody.ReadAsync<MatchDecisionRequest>(http.Request);
        if (problem is not null) return problem;
        if (request!.Decision is not ("confirm" or "dismiss")) return Problems.Invalid("decision", "Must be 'confirm' or 'dismiss'.");
        if (string.IsNullOrWhiteSpace(request.Opinion)) return Problems.Invalid("opinion", "Required: why the match is confirmed or dismissed.");
        if (request.Opinion.Length > 1000) return Problems.Invalid("opinion", "At most 1000 characters.");
        DateOnly? stopDate = null;
        if (request.Decision == "confirm" || request.StopDate is not null)
        {
            if (!DateOnly.TryParseExact(request.StopDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                return Problems.Invalid("stopDate", "Required to confirm, as YYYY-MM-DD.");
            if (request.Decision == "dismiss") return Problems.Invalid("stopDate", "Only with 'confirm'.");
            stopDate = date;
        }
        MatchDecision? decided;
        try
        {
            decided = await matches.DecideAsync(id, http.User.Staff()!, request.Decision, request.Opinion, stopDate, http.RequestAborted);
        }
        catch (TransitionRefused e) when (e is { Kind: RefusalKind.Invalid, Field: { } field })
        {
            return Problems.Invalid(e, field);
        }
        if (decided is null) return Problems.NotFound($"Match {id}");
        // The decision has committed: the match's orchestration ends its wait; the claim's delivers its SMS and archives a stop.
        await CrossCheckWorkflows.SignalAsync(durable, id, log, CancellationToken.None);
        await ClaimWorkflows.SignalAsync(durable, decided.ApplicationId, log, CancellationToken.None);
        return TypedResults.Ok(new MatchDecisionResponse(decided.MatchId, decided.ApplicationId, decided.Decision, decided.ClaimStatus));
    }

    private static async Task<IResult> ContestAsync(string id, HttpContext http, CrossCheckMatches matches)
    {
        var (request, problem) = await JsonBody.ReadAsync<MatchContestRequest>(http.Request);
        if (problem is not null) return problem;
        if (string.IsNullOrWhiteSpace(request!.Statement)) return Problems.Invalid("statement", "Required: what the recipient says.");
        if (request.Statement.Length > 2000) return Problems.Invalid("statement", "At most 2000 characters.");
        var staff = http.User.Staff()!;
        if (staff.Role == StaffRole.Administrator) return Problems.Refusal(403, "Forbidden", RefusalCode.NotOfficeStaff, "A statement is taken down by staff of an office.");
        var match = await matches.ContestAsync(id, staff, request.Statement.Trim(), http.RequestAborted);
        return match is null ? Problems.NotFound($"Match {id}") : TypedResults.Ok(new MatchContestResponse(match.MatchId, match.Status));
    }

    private sealed class Row
    {
        public string Id { get; init; } = "";
        public string ApplicationId { get; init; } = "";
        public string CaseNumber { get; init; } = "";
        public string NameEnc { get; init; } = "";
        public string IdNumberEnc { get; init; } = "";
        public string InsuringCity { get; init; } = "";
        public string Source { get; init; } = "";
        public string Province { get; init; } = "";
        public string Kind { get; init; } = "";
        public string Since { get; init; } = "";
        public string? Until { get; init; }
        public string OverlapFrom { get; init; } = "";
        public string OverlapTo { get; init; } = "";
        public string Status { get; init; } = "";
        public long CreatedAt { get; init; }
        public long DeadlineAt { get; init; }
        public long? EscalatedAt { get; init; }
        public long ContestUntil { get; init; }
        public string? Decision { get; init; }
        public string? Opinion { get; init; }
        public string? StopDate { get; init; }
        public string? DecidedBy { get; init; }
        public long? DecidedAt { get; init; }
        public string? ReportedNameEnc { get; init; }
        public long NameDiffers { get; init; }
    }

    private sealed class ContestRow
    {
        public string MatchId { get; init; } = "";
        public long At { get; init; }
        public string Actor { get; init; } = "";
        public string? Office { get; init; }
        public string Statement { get; init; } = "";
    }
}
