using Grpc.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Tongban.Hosting.Durable;

/// <summary>Starting an orchestration at most once per instance id, on every backend and under the Functions host.</summary>
public static class OrchestrationStarts
{
    /// <summary>An orchestration in these states is live: starting another with its instance id would run it twice.</summary>
    public static readonly OrchestrationRuntimeStatus[] Live =
        [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended];

    /// <summary>
    /// Schedules <paramref name="orchestrator"/> as <paramref name="instanceId"/> unless one is live; with
    /// <paramref name="replacePending"/> a pending one (it never got its start message) is replaced. Never without dedupe
    /// statuses: the in-memory backend would replace a running instance. Returns false when one was live already.
    /// </summary>
    public static async Task<bool> StartOnceAsync(DurableTaskClient client, string orchestrator, object input, string instanceId,
        CancellationToken ct, bool replacePending = false)
    {
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(orchestrator, input, new StartOrchestrationOptions(instanceId).WithDedupeStatuses(
                replacePending ? [OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended] : Live), ct);
            return true;
        }
        catch (Exception e) when (e is RpcException { StatusCode: StatusCode.AlreadyExists }
                                  || e.InnerException is RpcException { StatusCode: StatusCode.AlreadyExists }
                                  || e.GetType().Name == "OrchestrationAlreadyExistsException")
        {
            return false;
        }
    }
}
