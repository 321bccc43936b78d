using System.Text.RegularExpressions;
using Dapper;
using Tongban.Hosting.Durable;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Tongban.Applications;
using Tongban.Storage;

namespace Tongban.Payouts;

/// <summary>
/// The client side of the payout runs' orchestrations. A run's instance id comes from its month, kind and sequence
/// (<c>payout-2026-11-monthly</c>, <c>payout-2026-11-supplementary-1</c>), so the timers firing on two instances, an
/// administrator and the reconciler all start the same one, and starting it is safe to repeat: a live one is left
/// running. Two instances with task hubs of their own (the in-memory backend) may each run it; the run's steps make
/// that harmless (<see cref="PayoutRuns"/>).
/// </summary>
public static partial class PayoutRunWorkflows
{
    public static string InstanceId(string period, string kind, long sequence) =>
        kind == RunKind.Monthly ? $"payout-{period}-{kind}" : $"payout-{period}-{kind}-{sequence}";

    /// <summary>The month, kind and sequence of a payout run's instance id; false for any other instance id.</summary>
    public static bool TryParseInstanceId(string instanceId, out string period, out string kind, out long sequence)
    {
        var match = InstanceIdPattern().Match(instanceId);
        period = match.Success ? match.Groups["period"].Value : "";
        kind = match.Success ? match.Groups["kind"].Value : "";
        sequence = match.Success && match.Groups["sequence"].Success ? long.Parse(match.Groups["sequence"].Value) : 0;
        return match.Success && (kind, match.Groups["sequence"].Success) is (RunKind.Monthly, false) or (RunKind.Supplementary, true);
    }

    /// <summary>
    /// Starts the run's orchestration unless one is live. One that failed or ended is replaced by a new one, which
    /// continues from the database state; with <paramref name="replacePending"/> (the reconciler, for one pending too
    /// long) so is a pending one.
    /// </summary>
    public static Task StartAsync(DurableTaskClient client, PayoutRunInput run, CancellationToken ct, bool replacePending = false) =>
        // Running already: it reads the run's state at every step, so it picks up whatever the caller changed.
        OrchestrationStarts.StartOnceAsync(client, PayoutRunOrchestrator.Name, run, run.InstanceId, ct, replacePending);

    [GeneratedRegex(@"^payout-(?<period>\d{4}-\d{2})-(?<kind>[a-z]+)(-(?<sequence>[1-9]\d{0,8}))?$")]
    private static partial Regex InstanceIdPattern();
}

/// <summary>A run that needs an orchestration: it has none live, or its one has been pending so long it never got its start.</summary>
public sealed record MissingRun(PayoutRunInput Run, bool StalePending)
{
    public string InstanceId => Run.InstanceId;
}

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
            await PayoutRunWorkflows.StartAsync(client, run.Run, ct, replacePending: run.StalePending);
        if (missing.Count > 0) log.LogInformation("Started {Count} payout run orchestration(s) from the database", missing.Count);
        return missing.Count;
    }

    /// <summary>
    /// Runs not completed whose orchestration is neither live nor failed — or still pending long after it was created
    /// (<see cref="WorkflowReconciler.StalePending"/>: it never got its start message).
    /// </summary>
    public async Task<IReadOnlyList<MissingRun>> MissingAsync(DurableTaskClient client, CancellationToken ct)
    {
        List<PayoutRunInput> open;
        await using (var connection = await database.OpenAsync(ct))
            open = (await connection.QueryAsync<RunRow>("SELECT * FROM payout_runs WHERE status <> 'completed'"))
                .Select(r => new PayoutRunInput(r.Id, r.Period, r.Kind, r.Sequence)).ToList();
        var missing = new List<MissingRun>();
        foreach (var run in open)
        {
            var instance = await client.GetInstanceAsync(run.InstanceId, getInputsAndOutputs: false, ct);
            var stale = instance is { RuntimeStatus: OrchestrationRuntimeStatus.Pending }
                        && instance.CreatedAt <= DateTimeOffset.UtcNow - WorkflowReconciler.StalePending;
            var known = instance is not null
                        && (ClaimWorkflows.Live.Contains(instance.RuntimeStatus) || instance.RuntimeStatus == OrchestrationRuntimeStatus.Failed);
            if (!known || stale) missing.Add(new MissingRun(run, stale));
        }
        return missing;
    }
}
