using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Tongban.Hosting;

namespace Tongban.Reference;

/// <summary>Reference data as a function. Each runs the standalone endpoint of the same name (<see cref="HttpFunctions"/>).</summary>
public sealed class ReferenceFunctions(HttpFunctions http)
{
    [Function(nameof(ListCities))]
    public Task<IResult> ListCities([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/reference/cities")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);
}
