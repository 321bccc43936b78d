using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Tongban.Hosting;

/// <summary>The OpenAPI document and the health check as functions. Each runs the standalone endpoint of the same name (<see cref="HttpFunctions"/>).</summary>
public sealed class HostFunctions(HttpFunctions http)
{
    [Function(nameof(OpenApiDocument))]
    public Task<IResult> OpenApiDocument([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi/{documentName}.json")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);

    [Function(nameof(Health))]
    public Task<IResult> Health([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);
}
