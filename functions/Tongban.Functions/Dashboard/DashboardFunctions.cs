using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Tongban.Hosting;

namespace Tongban.Dashboard;

/// <summary>The dashboard as a function; it runs the standalone endpoint of the same name (<see cref="HttpFunctions"/>).</summary>
public sealed class DashboardFunctions(HttpFunctions http)
{
    [Function(nameof(Dashboard))]
    public Task<IResult> Dashboard([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/dashboard")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);
}
