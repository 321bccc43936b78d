using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Tongban.Hosting;

namespace Tongban.Registry;

/// <summary>The registry import as a function. Each runs the standalone endpoint of the same name (<see cref="HttpFunctions"/>).</summary>
public sealed class RegistryFunctions(HttpFunctions http)
{
    [Function(nameof(ImportInsuredPersons))]
    public Task<IResult> ImportInsuredPersons([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/admin/insured-persons/import")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);
}
