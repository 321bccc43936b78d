using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Tongban.Hosting;

namespace Tongban.Supervision;

/// <summary>The city supervisor's endpoints as functions. Each runs the standalone endpoint of the same name (<see cref="HttpFunctions"/>).</summary>
public sealed class SupervisionFunctions(HttpFunctions http)
{
    [Function(nameof(SupervisionOverview))]
    public Task<IResult> SupervisionOverview([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/supervision/overview")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);

    [Function(nameof(GetStaffing))]
    public Task<IResult> GetStaffing([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/supervision/staffing")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);

    [Function(nameof(SetStaffing))]
    public Task<IResult> SetStaffing([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/v1/supervision/staffing")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);

    [Function(nameof(SupervisionRechecks))]
    public Task<IResult> SupervisionRechecks([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/supervision/rechecks")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);

    [Function(nameof(ReassignCase))]
    public Task<IResult> ReassignCase([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/applications/{id}/reassign")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);
}
