using System.Text.Json;
using Dapper;
using Microsoft.DurableTask.Client;
using Tongban.CrossChecks;
using Tongban.Hosting;
using Tongban.Outreach;
using Tongban.Payouts;
using Tongban.Security;
using Tongban.Storage;

namespace Tongban.Applications;

/// <summary>
/// A claim's Durable orchestration as operators see it (contract v1.1): <c>runtimeStatus</c> is Durable's
/// (<c>Running</c>, <c>Completed</c>, <c>Failed</c>, …, or <c>None</c> when the task hub has no such instance) and
/// <c>customStatus</c> the step it is at (<see cref="ClaimStep"/>), when it has set one.
/// </summary>
public sealed record WorkflowView(string InstanceId, string RuntimeStatus, JsonElement? CustomStatus)
{
    public static async Task<WorkflowView> ForAsync(DurableTaskClient client, string instanceId, CancellationToken ct)
    {
        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, ct);
        return new WorkflowView(instanceId, instance?.RuntimeStatus.ToString() ?? "None",
            instance?.SerializedCustomStatus is { Length: > 0 } custom ? JsonSerializer.Deserialize<JsonElement>(custom) : null);
    }
}

/// <summary>An orchestration an administrator should look at: failed, or missing for a claim or payout run that needs one.</summary>
public sealed record WorkflowProblem(string InstanceId, string Kind, string RuntimeStatus, string? Failure, DateTimeOffset? LastUpdatedAt);

/// <summary>
/// Failed or stuck orchestrations, and restarting one (administrators): a claim's (instance id = application id), a payout
/// run's (<c>payout-…</c>), a cross-check match's (<c>cross-check-match-…</c>) or an outreach campaign's
/// (<c>outreach-…</c>). Unless one is live, a new orchestration starts and continues from the database state; 404 when
/// the database has no such claim, run, match or campaign.
/// </summary>
public static class WorkflowEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/admin/workflows", ListAsync).RequireAuthorization(Principals.AdministratorPolicy).WithName("ListWorkflows")
            .WithSummary("Orchestrations that failed, and claims or payout runs that need one but have none (stuck)")
            .Produces<WorkflowProblem[]>();
        api.MapPost("/admin/workflows/{instanceId}/restart", RestartAsync).RequireAuthorization(Principals.AdministratorPolicy)
            .WithName("RestartWorkflow")
            .WithSummary("Start a claim's, payout run's, cross-check match's or outreach campaign's orchestration again; it continues from the database state")
            .Produces<WorkflowView>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> ListAsync(HttpContext http, DurableTaskClient durable, WorkflowReconciler reconciler,
        PayoutRunReconciler runs)
    {
        var ct = http.RequestAborted;
        var problems = new List<WorkflowProblem>();
        var failed = new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Failed], PageSize = 500 };
        await foreach (var instance in durable.GetAllInstancesAsync(failed).WithCancellation(ct))
            problems.Add(new WorkflowProblem(instance.InstanceId, "failed", instance.RuntimeStatus.ToString(),
                instance.FailureDetails?.ErrorMessage, instance.LastUpdatedAt));
        foreach (var (id, _, _) in await reconciler.MissingAsync(durable, ct))
            problems.Add(new WorkflowProblem(id, "stuck", "None", null, null));
        foreach (var run in await runs.MissingAsync(durable, ct))
            problems.Add(new WorkflowProblem(run.InstanceId, "stuck", "None", null, null));
        return TypedResults.Ok(problems);
    }

    private static async Task<IResult> RestartAsync(string instanceId, HttpContext http, Database database, DurableTaskClient durable)
    {
        var ct = http.RequestAborted;
        if (PayoutRunWorkflows.TryParseInstanceId(instanceId, out var period, out var kind, out var sequence))
            return await RestartRunAsync(instanceId, period, kind, sequence, database, durable, ct);
        if (instanceId.StartsWith(CrossCheckWorkflows.InstancePrefix, StringComparison.Ordinal))
        {
            var matchId = instanceId[CrossCheckWorkflows.InstancePrefix.Length..];
            if (!await ExistsAsync(database, "SELECT COUNT(*) FROM cross_check_matches WHERE id = @id", matchId, ct))
                return Problems.NotFound($"Workflow {instanceId}");
            await CrossCheckWorkflows.StartAsync(durable, matchId, ct);
            return TypedResults.Accepted("/api/v1/cross-check-matches", await WorkflowView.ForAsync(durable, instanceId, ct));
        }
        if (instanceId.StartsWith(OutreachCampaigns.InstancePrefix, StringComparison.Ordinal))
        {
            var campaignId = instanceId[OutreachCampaigns.InstancePrefix.Length..];
            if (!await ExistsAsync(database, "SELECT COUNT(*) FROM outreach_campaigns WHERE id = @id", campaignId, ct))
                return Problems.NotFound($"Workflow {instanceId}");
            await OutreachCampaigns.StartOrchestrationAsync(durable, campaignId, ct);
            return TypedResults.Accepted($"/api/v1/admin/outreach-campaigns/{campaignId}", await WorkflowView.ForAsync(durable, instanceId, ct));
        }
        if (!Guid.TryParse(instanceId, out _)) return Problems.NotFound($"Workflow {instanceId}");
        long? recheck;
        await using (var connection = await database.OpenAsync(ct))
        {
            var row = await connection.QuerySingleOrDefaultAsync<(string Id, long? Recheck)?>(
                "SELECT id, recheck_requested_at FROM applications WHERE id = @instanceId", new { instanceId });
            if (row is null) return Problems.NotFound($"Workflow {instanceId}");
            recheck = row.Value.Recheck;
        }
        await ClaimWorkflows.StartAsync(durable, new ClaimInput(instanceId, recheck is not null), ct);
        return TypedResults.Accepted($"/api/v1/applications/{instanceId}", await WorkflowView.ForAsync(durable, instanceId, ct));
    }

    private static async Task<bool> ExistsAsync(Database database, string countSql, string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(countSql, new { id }) > 0;
    }

    /// <summary>
    /// A payout run's orchestration (<c>payout-2026-11-monthly</c>, <c>payout-2026-11-supplementary-1</c>) unless one is
    /// live; it continues from the run's status and cursor.
    /// </summary>
    private static async Task<IResult> RestartRunAsync(string instanceId, string period, string kind, long sequence, Database database,
        DurableTaskClient durable, CancellationToken ct)
    {
        string? runId;
        await using (var connection = await database.OpenAsync(ct))
            runId = await connection.QuerySingleOrDefaultAsync<string>(
                "SELECT id FROM payout_runs WHERE period = @period AND kind = @kind AND sequence = @sequence", new { period, kind, sequence });
        if (runId is null) return Problems.NotFound($"Workflow {instanceId}");
        await PayoutRunWorkflows.StartAsync(durable, new PayoutRunInput(runId, period, kind, sequence), ct);
        return TypedResults.Accepted($"/api/v1/admin/payout-runs/{runId}", await WorkflowView.ForAsync(durable, instanceId, ct));
    }
}
