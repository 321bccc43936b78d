using Dapper;
using Microsoft.DurableTask.Client;
using Tongban.Storage;

namespace Tongban.Applications;

/// <summary>
/// Orchestrations are rebuildable: the database says which claims need one — at a stage the system drives
/// (verifying, first review, final review), approved and waiting for their first payment to be in a bank file (the
/// payout run's issue step marks it: <c>first_issued_at</c>), asked for 二次审核, or closed and not yet archived — and each of those
/// without a live orchestration gets a new one that continues from the database state. Runs at start-up and every few
/// minutes (a lost event, a lost task hub, the in-memory backend after a restart). A failed orchestration is left for
/// an administrator to look at and restart (<see cref="WorkflowEndpoints"/>), so a fault is not retried blindly.
/// </summary>
public sealed class WorkflowReconciler(Database database, ILogger<WorkflowReconciler> log)
{
    public const string NeedsWorkflowSql =
        """
        SELECT id, CASE WHEN recheck_requested_at IS NOT NULL THEN 1 ELSE 0 END AS recheck FROM applications
        WHERE status IN ('verifying', 'first-review', 'final-review') OR recheck_requested_at IS NOT NULL
           OR (is_open = 0 AND archived_at IS NULL)
           OR (entitlement_months IS NOT NULL AND first_issued_at IS NULL AND status IN ('approved', 'suspended'))
        """;

    /// <summary>Starts the orchestrations that are missing; returns how many it started.</summary>
    public async Task<int> ReconcileAsync(DurableTaskClient client, CancellationToken ct)
    {
        var missing = await MissingAsync(client, ct);
        // Only an orchestration seen pending past the limit is replaced: one seen absent may have been started by intake
        // since, and replacing a pending instance in flight leaves the in-memory hub with one that never runs.
        foreach (var (id, recheck, stalePending) in missing)
            await ClaimWorkflows.StartAsync(client, new ClaimInput(id, recheck), ct, replacePending: stalePending);
        if (missing.Count > 0) log.LogInformation("Started {Count} claim orchestration(s) from the database", missing.Count);
        return missing.Count;
    }

    /// <summary>
    /// After a registry import: starts the 二次审核 orchestrations it asked for. A rejection's own orchestration may still be
    /// closing that case (its SMS, the archive) and would finish without seeing the request, so each such claim is watched
    /// until its orchestration is done — up to <paramref name="patience"/> — and then rechecked; one still live after
    /// that is left to the periodic reconcile. Returns how many orchestrations it started.
    /// </summary>
    public async Task<int> StartRechecksAsync(DurableTaskClient client, TimeSpan patience, CancellationToken ct)
    {
        var started = await ReconcileAsync(client, ct);
        List<string> requested;
        await using (var connection = await database.OpenAsync(ct))
            requested = (await connection.QueryAsync<string>("SELECT id FROM applications WHERE recheck_requested_at IS NOT NULL")).ToList();
        // Each request not already in the hands of a recheck orchestration waits for its claim's orchestration to end.
        var closing = new List<string>();
        foreach (var id in requested)
            if (await client.GetInstanceAsync(id, getInputsAndOutputs: true, ct) is not { } instance || !ClaimWorkflows.Live.Contains(instance.RuntimeStatus)
                || instance.ReadInputAs<ClaimInput>() is not { Recheck: true })
                closing.Add(id);
        var until = DateTimeOffset.UtcNow + patience;
        while (closing.Count > 0)
        {
            foreach (var id in closing.ToList())
            {
                if (await client.GetInstanceAsync(id, getInputsAndOutputs: false, ct) is { } instance && ClaimWorkflows.Live.Contains(instance.RuntimeStatus))
                    continue;
                await ClaimWorkflows.StartAsync(client, new ClaimInput(id, Recheck: true), ct);
                closing.Remove(id);
                started++;
            }
            if (closing.Count == 0 || DateTimeOffset.UtcNow >= until) break;
            await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
        }
        return started;
    }

    /// <summary>
    /// An orchestration still <c>Pending</c> this long after it was created never got its start message (an instance
    /// killed between the task hub's two writes): it counts as missing and is replaced.
    /// </summary>
    public static readonly TimeSpan StalePending = TimeSpan.FromMinutes(2);

    /// <summary>Claims that need an orchestration and have none live or failed; <c>StalePending</c> when theirs never started.</summary>
    public async Task<IReadOnlyList<(string Id, bool Recheck, bool StalePending)>> MissingAsync(DurableTaskClient client, CancellationToken ct)
    {
        List<(string Id, long Recheck)> needed;
        await using (var connection = await database.OpenAsync(ct))
            needed = (await connection.QueryAsync<(string, long)>(NeedsWorkflowSql)).ToList();
        if (needed.Count == 0) return [];
        var known = new HashSet<string>(StringComparer.Ordinal);
        var stale = new HashSet<string>(StringComparer.Ordinal);
        var query = new OrchestrationQuery { Statuses = [.. ClaimWorkflows.Live, OrchestrationRuntimeStatus.Failed], PageSize = 1000 };
        await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(ct))
            if (instance.RuntimeStatus == OrchestrationRuntimeStatus.Pending && instance.CreatedAt <= DateTimeOffset.UtcNow - StalePending)
                stale.Add(instance.InstanceId);
            else
                known.Add(instance.InstanceId);
        return needed.Where(n => !known.Contains(n.Id)).Select(n => (n.Id, n.Recheck == 1, stale.Contains(n.Id))).ToList();
    }
}
