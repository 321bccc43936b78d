using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.DurableTask.Client;
using Tongban.Applications;
using Tongban.Domain.Claims;
using Tongban.Domain.Province;
using Tongban.Hosting;
using Tongban.Security;
using Tongban.Storage;

namespace Tongban.Supervision;

/// <summary>
/// Where the supervisor sends a case: <c>office</c> (an office code of the supervisor's city, required), <c>reviewer</c>
/// (optional: the username of a reviewer of that office, whose queue alone then shows the case at this stage) and
/// <c>reason</c> (optional, at most 500 characters; recorded in the case history).
/// </summary>
public sealed record ReassignRequest(string? Office, string? Reviewer, string? Reason);

/// <summary>The case after the reassignment: its status (unchanged), office and named reviewer (null when none).</summary>
public sealed record ReassignResponse(string Status, string AssignedOffice, string? AssignedReviewer);

/// <summary>
/// A city supervisor reassigns a case waiting for first or final review to another office of the city, or to a named
/// reviewer of one (<see cref="Reassignment"/>). One transaction: the claim's office, the named reviewer and the
/// history line (<c>reassigned</c>: who, from, to, why). Then the claim's orchestration is signalled as after a review
/// decision; it reads the claim again and keeps waiting at the same stage, with the same deadline.
/// 400 for a bad field, 403 for anyone but the supervisor of the city holding the case or for an office of another
/// city, 404 for no such case, 409 when it is not at review or already there.
/// </summary>
public static class ReassignCase
{
    /// <summary>Characters a reassignment's reason may have.</summary>
    public const int ReasonLimit = 500;

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/applications/{id}/reassign", HandleAsync).RequireAuthorization(Principals.StaffPolicy).WithName("ReassignCase")
            .WithSummary("City supervisor: move a case at review to another office of the city or to a named reviewer (audited)")
            .Produces<ReassignResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

    private static async Task<IResult> HandleAsync(string id, HttpContext http, Database database, ClaimStore store, ProvinceConfig province,
        DurableTaskClient durable, TimeProvider clock, ILogger<ReassignResponse> log)
    {
        var (supervisor, city, refusal) = Supervisors.Resolve(http, province);
        if (refusal is not null) return refusal;
        var (request, problem) = await JsonBody.ReadAsync<ReassignRequest>(http.Request);
        if (problem is not null) return problem;
        if (string.IsNullOrWhiteSpace(request!.Office)) return Problems.Invalid("office", "Required: the office code, e.g. 460100-02.");
        if (province.FindOffice(request.Office.Trim()) is not { } office)
            return Problems.Invalid("office", $"No office {request.Office.Trim()} in this province.");
        if (request.Reason is { Length: > ReasonLimit }) return Problems.Invalid("reason", $"At most {ReasonLimit} characters.");
        var reviewer = string.IsNullOrWhiteSpace(request.Reviewer) ? null : request.Reviewer.Trim();

        var result = await database.InTransactionAsync<IResult>(async (c, t) =>
        {
            if (reviewer is not null)
            {
                var account = await c.QuerySingleOrDefaultAsync<StaffRow>(
                    "SELECT role, office_code FROM staff WHERE username = @reviewer", new { reviewer }, t);
                if (account is null || account.Role != StaffRole.Reviewer.RoleCode() || account.OfficeCode != office.Code)
                    return Problems.Invalid("reviewer", $"No reviewer {reviewer} at office {office.Code}.");
            }
            var loaded = await ClaimStore.LoadAsync(c, t, id, forUpdate: database.Provider == DatabaseProvider.Postgres);
            if (loaded is not { } found) return Problems.NotFound($"Application {id}");
            var current = await c.QuerySingleAsync<AssignedRow>(
                "SELECT assigned_reviewer, assigned_reviewer_stage FROM applications WHERE id = @id", new { id }, t);
            var currentReviewer = current.AssignedReviewerStage == found.Claim.Status.Code() ? current.AssignedReviewer : null;
            var transition = Reassignment.Reassign(found.Claim, supervisor, city, office, reviewer, currentReviewer, request.Reason);
            await store.ApplyAsync(c, t, transition, found.Claim.Version, found.ReceivedAt, clock.GetUtcNow());
            await c.ExecuteAsync(
                "UPDATE applications SET assigned_reviewer = @reviewer, assigned_reviewer_stage = @stage WHERE id = @id",
                new { id, reviewer, stage = reviewer is null ? null : transition.Claim.Status.Code() }, t);
            return TypedResults.Ok(new ReassignResponse(transition.Claim.Status.Code(), office.Code, reviewer));
        }, http.RequestAborted);
        // The reassignment has committed; the orchestration reads the claim again (its deadline timers keep running).
        if (result is Ok<ReassignResponse>) await ClaimWorkflows.SignalAsync(durable, id, log, CancellationToken.None);
        return result;
    }

    private sealed class StaffRow
    {
        public string Role { get; init; } = "";
        public string? OfficeCode { get; init; }
    }

    private sealed class AssignedRow
    {
        public string? AssignedReviewer { get; init; }
        public string? AssignedReviewerStage { get; init; }
    }
}
