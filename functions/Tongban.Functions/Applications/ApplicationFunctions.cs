using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Tongban.Hosting;

namespace Tongban.Applications;

/// <summary>Reading applications and operating their workflows, as functions. Each runs the standalone endpoint of the same name (<see cref="HttpFunctions"/>).</summary>
public sealed class ApplicationFunctions(HttpFunctions http)
{
    [Function(nameof(GetApplication))]
    public Task<IResult> GetApplication([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/applications/{id}")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);

    [Function(nameof(ApplicationSpells))]
    public Task<IResult> ApplicationSpells([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/applications/{id}/spells")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);

    [Function(nameof(RevealPersonalData))]
    public Task<IResult> RevealPersonalData([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/applications/{id}/reveal")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);

    [Function(nameof(LookupApplications))]
    public Task<IResult> LookupApplications([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/applications/lookup")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);

    [Function(nameof(ListWorkflows))]
    public Task<IResult> ListWorkflows([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/admin/workflows")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);

    [Function(nameof(RestartWorkflow))]
    public Task<IResult> RestartWorkflow([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/admin/workflows/{instanceId}/restart")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);
}
