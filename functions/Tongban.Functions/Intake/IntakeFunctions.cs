using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Tongban.Hosting;

namespace Tongban.Intake;

/// <summary>Portal intake as a function. Each runs the standalone endpoint of the same name (<see cref="HttpFunctions"/>).</summary>
public sealed class IntakeFunctions(HttpFunctions http)
{
    [Function(nameof(SubmitApplication))]
    public Task<IResult> SubmitApplication([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/applications")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);
}
