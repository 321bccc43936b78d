using Dapper;
using Microsoft.DurableTask.Client;
using Tongban.Applications;
using Tongban.Hosting.Durable;
using Tongban.Storage;

namespace Tongban.CrossChecks;

/// <summary>
/// The client side of the match orchestrations: one per match, instance id <c>cross-check-match-{matchId}</c>, started at
/// most once, told after a decision committed. Both are safe to repeat; a failure here loses nothing — the reconciler
/// starts what is missing, and a started orchestration reads the match from the database.
/// </summary>
public static class CrossCheckWorkflows
{
    public const string InstancePrefix = "cross-check-match-";

    public static string InstanceId(string matchId) => InstancePrefix + matchId;

    public static Task StartAsync(DurableTaskClient client, string matchId, CancellationToken ct, bool replacePending = false) =>
        OrchestrationStarts.StartOnceAsync(client, CrossCheckOrchestrator.Name, new MatchInput(matchId), InstanceId(matchId), ct, replacePending);

    /// <summary>After a decision committed: the live orchestration reads the match again; without one, nothing is needed.</summary>
    public static async Task SignalAsync(DurableTaskClient client, string matchId, ILogger log, CancellationToken ct)
    {
        try
        {
            var instance = await client.GetInstanceAsync(InstanceId(matchId), getInputsAndOutputs: false, ct);
            if (instance is not null && ClaimWorkflows.Live.Contains(instance.RuntimeStatus))
                await client.RaiseEventAsync(InstanceId(matchId), CrossCheckOrchestrator.MatchChanged, "changed", ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Match {MatchId} was decided but its orchestration was not told; its daily look finds it", matchId);
        }
    }
}

/// <summary>
/// Match orchestrations are rebuildable: every match not decided that has no live (or failed) orchestration gets one —
/// after an import, at start-up and with the other reconcilers every few minutes.
/// </summary>
public sealed class CrossCheckReconciler(Database database, ILogger<CrossCheckReconciler> log)
{
    /// <summary>Starts the match orchestrations that are missing; returns how many it started.</summary>
    public async Task<int> ReconcileAsync(DurableTaskClient client, CancellationToken ct)
    {
        List<string> undecided;
        await using (var connection = await database.OpenAsync(ct))
            undecided = (await connection.QueryAsync<string>("SELECT id FROM cross_check_matches WHERE status <> 'decided'")).ToList();
        if (undecided.Count == 0) return 0;
        var known = new HashSet<string>(StringComparer.Ordinal);
        var stale = new HashSet<string>(StringComparer.Ordinal);
        var query = new OrchestrationQuery
        {
            InstanceIdPrefix = CrossCheckWorkflows.InstancePrefix, Statuses = [.. ClaimWorkflows.Live, OrchestrationRuntimeStatus.Failed], PageSize = 1000,
        };
        await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(ct))
            if (instance.RuntimeStatus == OrchestrationRuntimeStatus.Pending && instance.CreatedAt <= DateTimeOffset.UtcNow - WorkflowReconciler.StalePending)
                stale.Add(instance.InstanceId);
            else
                known.Add(instance.InstanceId);
        var started = 0;
        foreach (var id in undecided.Where(id => !known.Contains(CrossCheckWorkflows.InstanceId(id))))
        {
            await CrossCheckWorkflows.StartAsync(client, id, ct, replacePending: stale.Contains(CrossCheckWorkflows.InstanceId(id)));
            started++;
        }
        if (started > 0) log.LogInformation("Started {Count} cross-check match orchestration(s) from the database", started);
        return started;
    }
}
