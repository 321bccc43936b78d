using System.Data.Common;
using Dapper;
using Tongban.Applications;
using Tongban.Domain;
using Tongban.Domain.Claims;
using Tongban.Domain.Entitlements;
using Tongban.Domain.Province;
using Tongban.Hosting;
using Tongban.Routing;
using Tongban.Security;
using Tongban.Storage;

namespace Tongban.Review;

public sealed record ReviewRequest(string? Decision, string? Opinion);

public sealed record ReviewResponse(string Status);

public sealed record QueueEntry(string ApplicationId, string CaseNumber, string Status, DateTimeOffset ReceivedAt, DateTimeOffset? DueAt);

/// <summary>
/// The review queue, first review (初审) at the assigned office, and final review (复核) in the insuring
/// city. Scope is enforced by the state machine on every call (403), stage by the status (409).
/// </summary>
public static class ReviewEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/review-queue", QueueAsync).RequireAuthorization(Principals.StaffPolicy)
            .WithSummary("Applications awaiting review: the caller's office (first review) or city (final review)");
        api.MapPost("/applications/{id}/first-review", (string id, HttpContext http, ReviewCommands commands) =>
                ReviewAsync(id, http, commands, ClaimStatus.FirstReview))
            .RequireAuthorization(Principals.StaffPolicy).WithSummary("First review (初审)");
        api.MapPost("/applications/{id}/final-review", (string id, HttpContext http, ReviewCommands commands) =>
                ReviewAsync(id, http, commands, ClaimStatus.FinalReview))
            .RequireAuthorization(Principals.StaffPolicy).WithSummary("Final review (复核)");
    }

    private static async Task<IResult> QueueAsync(string? stage, HttpContext http, Database database)
    {
        var staff = http.User.Staff()!;
        var (status, scopeColumn, scope) = stage switch
        {
            "first-review" => ("first-review", "assigned_office", staff.OfficeCode),
            "final-review" => ("final-review", "insuring_city", staff.CityCode),
            _ => default,
        };
        if (status is null) return Problems.Invalid("stage", "Must be 'first-review' or 'final-review'.");
        if (scope is null) return TypedResults.Ok(Array.Empty<QueueEntry>());
        await using var connection = await database.OpenAsync(http.RequestAborted);
        var rows = await connection.QueryAsync<QueueRow>(
            $"""
             SELECT id, case_number, status, received_at, due_at FROM applications
             WHERE status = @status AND {scopeColumn} = @scope ORDER BY received_at LIMIT 500
             """, new { status, scope });
        return TypedResults.Ok(rows.Select(r => new QueueEntry(r.Id, r.CaseNumber, r.Status,
            ApplicationViews.Time(r.ReceivedAt), r.DueAt is { } due ? ApplicationViews.Time(due) : null)));
    }

    private static async Task<IResult> ReviewAsync(string id, HttpContext http, ReviewCommands commands, ClaimStatus stage)
    {
        var (request, problem) = await JsonBody.ReadAsync<ReviewRequest>(http.Request);
        if (problem is not null) return problem;
        var decision = request!.Decision switch
        {
            "approve" => ReviewDecision.Approve,
            "reject" => (ReviewDecision?)ReviewDecision.Reject,
            _ => null,
        };
        if (decision is null) return Problems.Invalid("decision", "Must be 'approve' or 'reject'.");
        if (request.Opinion is { Length: > 1000 }) return Problems.Invalid("opinion", "At most 1000 characters.");
        if (decision == ReviewDecision.Reject && string.IsNullOrWhiteSpace(request.Opinion))
            return Problems.Invalid("opinion", "An opinion is required to reject.");
        var status = await commands.ReviewAsync(id, http.User.Staff()!, stage, decision.Value, request.Opinion, http.RequestAborted);
        return status is null ? Problems.NotFound($"Application {id}") : TypedResults.Ok(new ReviewResponse(status.Value.Code()));
    }

    private sealed class QueueRow
    {
        public string Id { get; init; } = "";
        public string CaseNumber { get; init; } = "";
        public string Status { get; init; } = "";
        public long ReceivedAt { get; init; }
        public long? DueAt { get; init; }
    }
}

/// <summary>Review and stop commands: load, decide (pure), commit — one transaction each.</summary>
public sealed class ReviewCommands(Database database, ClaimStore store, ProvinceConfig province, TimeProvider clock)
{
    public Task<ClaimStatus?> ReviewAsync(string id, StaffMember staff, ClaimStatus stage, ReviewDecision decision,
        string? opinion, CancellationToken ct) =>
        ExecuteAsync(id, async (c, t, claim) =>
        {
            if (stage == ClaimStatus.FirstReview)
            {
                var city = province.FindCity(claim.InsuringCity ?? "")
                           ?? throw new TransitionRefused(RefusalKind.Conflict, "The application has no insuring city in this province.");
                var office = decision == ReviewDecision.Approve && claim.Status == ClaimStatus.FirstReview
                    ? await OfficeRouter.ChooseAsync(c, t, city)
                    : city.Offices[0];
                return ClaimWorkflow.FirstReview(claim, staff, decision, opinion, city, office);
            }
            var facts = await c.QuerySingleAsync<EntitlementFacts>(
                "SELECT contribution_months, carried_over_months, received_at FROM applications WHERE id = @id",
                new { id = claim.Id.ToString() }, t);
            return ClaimWorkflow.FinalReview(claim, staff, decision, opinion, () => FixEntitlement(claim, facts));
        }, ct);

    public Task<ClaimStatus?> ReportStopAsync(string id, StaffMember staff, string eventType, DateOnly date, CancellationToken ct) =>
        ExecuteAsync(id, (_, _, claim) =>
            Task.FromResult(ClaimWorkflow.ReportStop(claim, staff, eventType, date, Deadlines.LocalDate(clock.GetUtcNow()))), ct);

    private async Task<ClaimStatus?> ExecuteAsync(string id, Func<DbConnection, DbTransaction, Claim, Task<Transition>> decide,
        CancellationToken ct)
    {
        if (!Guid.TryParse(id, out _)) return null;
        return await database.InTransactionAsync<ClaimStatus?>(async (c, t) =>
        {
            if (database.Provider == DatabaseProvider.Postgres)
                await c.ExecuteAsync("SELECT 1 FROM applications WHERE id = @id FOR UPDATE", new { id }, t);
            var loaded = await ClaimStore.LoadAsync(c, t, id);
            if (loaded is not { } found) return null;
            var transition = await decide(c, t, found.Claim);
            await store.ApplyAsync(c, t, transition, found.Claim.Version, found.ReceivedAt, clock.GetUtcNow());
            return transition.Claim.Status;
        }, ct);
    }

    /// <summary>The entitlement approval fixes: months from the verified contributions, the city's standard today.</summary>
    private Entitlement FixEntitlement(Claim claim, EntitlementFacts facts)
    {
        var today = Deadlines.LocalDate(clock.GetUtcNow());
        var standard = province.FindCity(claim.InsuringCity ?? "")?.StandardOn(today)
                       ?? throw new TransitionRefused(RefusalKind.Conflict, "The insuring city has no benefit standard in force.");
        var registrationMonth = YearMonth.Of(Deadlines.LocalDate(DateTimeOffset.FromUnixTimeMilliseconds(facts.ReceivedAt)));
        return Entitlement.Fix((int)(facts.ContributionMonths ?? 0), (int)(facts.CarriedOverMonths ?? 0),
            province.Duration, standard, registrationMonth);
    }

    private sealed class EntitlementFacts
    {
        public long? ContributionMonths { get; init; }
        public long? CarriedOverMonths { get; init; }
        public long ReceivedAt { get; init; }
    }
}
