using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Tongban.CrossChecks;
using Tongban.Payouts;

namespace Tongban.Applications;

public sealed class WorkflowFunctions(WorkflowReconciler reconciler, PayoutRunReconciler runs, CrossCheckReconciler matches)
{
    /// <summary>
    /// Every five minutes (and at start-up standalone): claims, payout runs and undecided cross-check matches that need an
    /// orchestration and have none get one; one failing does not keep the others from running.
    /// </summary>
    [Function(nameof(ReconcileWorkflows))]
    public Task ReconcileWorkflows([TimerTrigger("0 */5 * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient durable,
        CancellationToken ct) => Task.WhenAll(reconciler.ReconcileAsync(durable, ct), runs.ReconcileAsync(durable, ct), matches.ReconcileAsync(durable, ct));
}
