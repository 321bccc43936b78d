using System.Text.RegularExpressions;
using Dapper;
using Grpc.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Tongban.Applications;
using Tongban.Storage;

namespace Tongban.Payouts;

/// <summary>
/// The client side of the payout runs' orchestrations. A run's instance id comes from its month and kind
/// (<c>payout-2026-11-monthly</c>), so the timer firing on two instances, an administrator and the reconciler all start
/// the same one, and starting it is safe to repeat: a live one is left running. Two instances with task hubs of their
/// own (the in-memory backend) may each run it; the run's steps make that harmless (<see cref="PayoutRuns"/>).
/// </summary>
public static partial class PayoutRunWorkflows
{
    /// <summary>The kind of every run today: the month's own run (按月发放).</summary>
    public const string Monthly = "monthly";

    public static string InstanceId(string period, string kind = Monthly) => $"payout-{period}-{kind}";

    /// <summary>The month and kind of a payout run's instance id; false for any other instance id.</summary>
    public static bool TryParseInstanceId(string instanceId, out string period, out string kind)
    {
        var match = InstanceIdPattern().Match(instanceId);
        period = match.Success ? match.Groups["period"].Value : "";
        kind = match.Success ? match.Groups["kind"].Value : "";
        return match.Success;
    }

    /// <summary>
    /// Starts the run's orchestration unless one is live. One that failed or ended is replaced by a new one, which
    /// continues from the database state; with <paramref name="replacePending"/> (the reconciler, for one pending too
    /// long) so is a pending one.
    /// </summary>
    public static async Task StartAsync(DurableTaskClient client, string runId, string period, CancellationToken ct,
        bool replacePending = false)
    {
        try
        {
            // Never without dedupe statuses: the in-memory backend would replace a running instance.
            await client.ScheduleNewOrchestrationInstanceAsync(PayoutRunOrchestrator.Name, new PayoutRunInput(runId, period),
                new StartOrchestrationOptions(InstanceId(period)).WithDedupeStatuses(
                    replacePending ? [OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended] : ClaimWorkflows.Live), ct);
        }
        catch (Exception e) when (AlreadyLive(e))
        {
            // Running already: it reads the run's state at every step, so it picks up whatever the caller changed.
        }
    }

    private static bool AlreadyLive(Exception e) =>
        e is RpcException { StatusCode: StatusCode.AlreadyExists } || e.InnerException is RpcException { StatusCode: StatusCode.AlreadyExists }
        || e.GetType().Name == "OrchestrationAlreadyExistsException";

    [GeneratedRegex(@"^payout-(?<period>\d{4}-\d{2})-(?<kind>[a-z]+)$")]
    private static partial Regex InstanceIdPattern();
}

/// <summary>A run that needs an orchestration: it has none live, or its one has been pending so long it never got its start.</summary>
public sealed record MissingRun(string RunId, string Period, string InstanceId, bool StalePending);

/// <summary>
/// Runs are rebuildable: every run in <c>payout_runs</c> that has not completed and has no live orchestration gets
/// one, which continues from the run's status and cursor — after a crash, the loss of the task hub, or with the
/// in-memory backend after a restart. Runs with the reconciliation of claims (the ReconcileWorkflows timer). A failed
/// orchestration is left for an administrator to look at and restart, as a claim's is.
/// </summary>
public sealed class PayoutRunReconciler(Database database, ILogger<PayoutRunReconciler> log)
{
    /// <summary>
    /// Starts the run orchestrations that are missing; returns how many it started. Only one seen pending too long is
    /// replaced: one seen absent may have been started meanwhile (the MonthlyPayout timer runs at start-up too), and
    /// replacing that fresh one would leave the in-memory backend with an instance that never runs.
    /// </summary>
    public async Task<int> ReconcileAsync(DurableTaskClient client, CancellationToken ct)
    {
        var missing = await MissingAsync(client, ct);
        foreach (var run in missing)
            await PayoutRunWorkflows.StartAsync(client, run.RunId, run.Period, ct, replacePending: run.StalePending);
        if (missing.Count > 0) log.LogInformation("Started {Count} payout run orchestration(s) from the database", missing.Count);
        return missing.Count;
    }

    /// <summary>
    /// Runs not completed whose orchestration is neither live nor failed — or still pending long after it was created
    /// (<see cref="WorkflowReconciler.StalePending"/>: it never got its start message).
    /// </summary>
    public async Task<IReadOnlyList<MissingRun>> MissingAsync(DurableTaskClient client, CancellationToken ct)
    {
        List<(string RunId, string Period)> open;
        await using (var connection = await database.OpenAsync(ct))
            open = (await connection.QueryAsync<(string, string)>("SELECT id, period FROM payout_runs WHERE status <> 'completed'")).ToList();
        var missing = new List<MissingRun>();
        foreach (var (runId, period) in open)
        {
            var instanceId = PayoutRunWorkflows.InstanceId(period);
            var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, ct);
            var stale = instance is { RuntimeStatus: OrchestrationRuntimeStatus.Pending }
                        && instance.CreatedAt <= DateTimeOffset.UtcNow - WorkflowReconciler.StalePending;
            var known = instance is not null
                        && (ClaimWorkflows.Live.Contains(instance.RuntimeStatus) || instance.RuntimeStatus == OrchestrationRuntimeStatus.Failed);
            if (!known || stale) missing.Add(new MissingRun(runId, period, instanceId, stale));
        }
        return missing;
    }
}
