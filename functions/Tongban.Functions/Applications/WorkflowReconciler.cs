using Dapper;
using Microsoft.DurableTask.Client;
using Tongban.Storage;

namespace Tongban.Applications;

/// <summary>
/// Orchestrations are rebuildable: the database says which claims need one — at a stage the system drives
/// (verifying, first review, final review), asked for 二次审核, or closed and not yet archived — and each of those
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
