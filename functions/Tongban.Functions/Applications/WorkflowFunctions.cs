using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Tongban.Payouts;

namespace Tongban.Applications;

public sealed class WorkflowFunctions(WorkflowReconciler reconciler, PayoutRunReconciler runs)
{
    /// <summary>
    /// Every five minutes (and at start-up standalone): claims and payout runs that need an orchestration and have none
    /// get one; either failing does not keep the other from running.
    /// </summary>
    [Function(nameof(ReconcileWorkflows))]
    public Task ReconcileWorkflows([TimerTrigger("0 */5 * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient durable,
        CancellationToken ct) => Task.WhenAll(reconciler.ReconcileAsync(durable, ct), runs.ReconcileAsync(durable, ct));
}
