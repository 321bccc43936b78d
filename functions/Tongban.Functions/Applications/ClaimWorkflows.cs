using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Tongban.Hosting.Durable;

namespace Tongban.Applications;

/// <summary>
/// The client side of the claim orchestrations: starting one after intake, and telling one that a decision about
/// its claim has committed. Both are safe to repeat, and a failure here loses nothing — the decision is already in
/// the database, and the reconciler or the orchestration's own daily look finds it.
/// </summary>
public static class ClaimWorkflows
{
    /// <summary>An orchestration in these states is live: starting another for its claim would run the journey twice.</summary>
    public static OrchestrationRuntimeStatus[] Live => OrchestrationStarts.Live;

    /// <summary>
    /// Starts the claim's orchestration (instance id = application id), or signals the live one. With
    /// <paramref name="replacePending"/> (the reconciler, for an orchestration pending too long) a pending one is replaced.
    /// </summary>
    public static async Task StartAsync(DurableTaskClient client, ClaimInput input, CancellationToken ct, bool replacePending = false)
    {
        if (!await OrchestrationStarts.StartOnceAsync(client, ClaimOrchestrator.Name, input, input.ApplicationId, ct, replacePending))
            await client.RaiseEventAsync(input.ApplicationId, ClaimOrchestrator.ClaimChanged, "changed", ct);
    }

    /// <summary>
    /// After a decision committed: the live orchestration reads the claim again, or a new one takes it from here. With
    /// <paramref name="startIfNone"/> false (a bank file that holds the claim's first payment) a claim without a live
    /// orchestration is left alone: one started now would only read that the wait is over, and the reconciler no longer
    /// counts the claim as open — so a file of many first payments (a province going live) starts nothing.
    /// </summary>
    public static async Task SignalAsync(DurableTaskClient client, string applicationId, ILogger log, CancellationToken ct, bool startIfNone = true)
    {
        try
        {
            var instance = await client.GetInstanceAsync(applicationId, getInputsAndOutputs: false, ct);
            if (instance is not null && Live.Contains(instance.RuntimeStatus))
                await client.RaiseEventAsync(applicationId, ClaimOrchestrator.ClaimChanged, "changed", ct);
            else if (startIfNone)
                await StartAsync(client, new ClaimInput(applicationId), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Claim {ApplicationId} changed but its orchestration was not told; the reconciler will pick it up", applicationId);
        }
    }

}
