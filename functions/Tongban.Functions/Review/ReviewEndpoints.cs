using Dapper;
using Microsoft.DurableTask.Client;
using Tongban.Applications;
using Tongban.Domain.Claims;
using Tongban.Hosting;
using Tongban.Security;
using Tongban.Storage;

namespace Tongban.Review;

/// <summary>A review decision: <c>decision</c> <c>approve</c> or <c>reject</c>; <c>opinion</c> at most 1000 characters, required to reject.</summary>
public sealed record ReviewRequest(string? Decision, string? Opinion);

/// <summary>The claim's status after a review decision or a stop event.</summary>
public sealed record ReviewResponse(string Status);

/// <summary>An entitlement as a final approval would fix it today: months, the monthly standard in yuan, first and last month (YYYY-MM).</summary>
public sealed record EntitlementPreview(int Months, decimal MonthlyAmount, string StartMonth, string EndMonth);

/// <summary>A case in the review queue: when it was received, its deadline (<c>dueAt</c>) and whether that has passed.</summary>
public sealed record QueueEntry(string ApplicationId, string CaseNumber, string Status, DateTimeOffset ReceivedAt, DateTimeOffset? DueAt, bool Overdue);

/// <summary>
/// The review queue, first review (初审) at the assigned office, and final review (复核) in the insuring
/// city. Scope is enforced by the state machine on every call (403), stage by the status (409), both before the body
/// is read: a decision's body is judged (400) only for whoever may take it.
/// </summary>
public static class ReviewEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/review-queue", QueueAsync).RequireAuthorization(Principals.StaffPolicy).WithName("ReviewQueue")
            .WithSummary("Applications awaiting review: the caller's office (first review) or city (final review); a case the supervisor assigned to a named reviewer, that reviewer's only")
            .Produces<QueueEntry[]>().ProducesValidationProblem();
        api.MapPost("/applications/{id}/first-review", (string id, HttpContext http, ReviewCommands commands, DurableTaskClient durable,
                ILogger<ReviewCommands> log) => ReviewAsync(id, http, commands, durable, log, ClaimStatus.FirstReview))
            .RequireAuthorization(Principals.StaffPolicy).WithName("FirstReview").WithSummary("First review (初审)").ProducesDecision();
        api.MapPost("/applications/{id}/final-review", (string id, HttpContext http, ReviewCommands commands, DurableTaskClient durable,
                ILogger<ReviewCommands> log) => ReviewAsync(id, http, commands, durable, log, ClaimStatus.FinalReview))
            .RequireAuthorization(Principals.StaffPolicy).WithName("FinalReview").WithSummary("Final review (复核)").ProducesDecision();
        api.MapGet("/applications/{id}/entitlement-preview", PreviewAsync).RequireAuthorization(Principals.StaffPolicy)
            .WithName("EntitlementPreview")
            .WithSummary("The entitlement a final approval would fix today (amount in yuan), while the claim waits for review; nothing is stored")
            .Produces<EntitlementPreview>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    /// <summary>A decision's answers: the status after it; 400 naming the field; 403 who may not decide; 404; 409 not at that stage.</summary>
    private static RouteHandlerBuilder ProducesDecision(this RouteHandlerBuilder endpoint) =>
        endpoint.Produces<ReviewResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

    private static async Task<IResult> PreviewAsync(string id, HttpContext http, ReviewCommands commands) =>
        await commands.PreviewEntitlementAsync(id, http.User.Staff()!, http.RequestAborted) is { } e
            ? TypedResults.Ok(new EntitlementPreview(e.Months, e.MonthlyFen / 100m, e.StartMonth.ToString(), e.EndMonth.ToString()))
            : Problems.NotFound($"Application {id}");

    private static async Task<IResult> QueueAsync(string? stage, HttpContext http, Database database, TimeProvider clock)
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
        // The queue indexes hold the cases at review alone (migration 0015); naming their predicate lets both planners
        // use them whatever the stage parameter is (a cached generic plan, SQLite's literal match).
        var rows = await connection.QueryAsync<QueueRow>(
            $"""
             SELECT id, case_number, status, received_at, due_at FROM applications
             WHERE status IN ('first-review', 'final-review') AND status = @status AND {scopeColumn} = @scope
               AND (assigned_reviewer IS NULL OR assigned_reviewer = @me OR assigned_reviewer_stage <> status)
             ORDER BY received_at LIMIT 500
             """, new { status, scope, me = staff.Username });
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        return TypedResults.Ok(rows.Select(r => new QueueEntry(r.Id, r.CaseNumber, r.Status,
            ApplicationViews.Time(r.ReceivedAt), r.DueAt is { } due ? ApplicationViews.Time(due) : null, r.DueAt < now)));
    }

    private static async Task<IResult> ReviewAsync(string id, HttpContext http, ReviewCommands commands, DurableTaskClient durable,
        ILogger log, ClaimStatus stage)
    {
        // Who may decide comes before what they send: staff shown review.mayDecide false get the refusal shown, whatever the body.
        if (!await commands.CheckDeciderAsync(id, http.User.Staff()!, stage, http.RequestAborted)) return Problems.NotFound($"Application {id}");
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
        if (status is null) return Problems.NotFound($"Application {id}");
        // The decision has committed: the answer stands whatever happens next; the orchestration moves the claim on.
        await ClaimWorkflows.SignalAsync(durable, id, log, CancellationToken.None);
        return TypedResults.Ok(new ReviewResponse(status.Value.Code()));
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
