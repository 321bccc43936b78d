using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Tongban.Applications;

public sealed class WorkflowFunctions(WorkflowReconciler reconciler)
{
    /// <summary>Every five minutes (and at start-up standalone): claims that need an orchestration and have none get one.</summary>
    [Function(nameof(ReconcileWorkflows))]
    public Task ReconcileWorkflows([TimerTrigger("0 */5 * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient durable,
        CancellationToken ct) => reconciler.ReconcileAsync(durable, ct);
}
