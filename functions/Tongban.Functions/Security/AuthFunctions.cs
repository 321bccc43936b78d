using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Tongban.Hosting;

namespace Tongban.Security;

/// <summary>Staff sign-in and the signed-in staff member as functions. Each runs the standalone endpoint of the same name (<see cref="HttpFunctions"/>).</summary>
public sealed class AuthFunctions(HttpFunctions http)
{
    [Function(nameof(IssueToken))]
    public Task<IResult> IssueToken([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/auth/token")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);

    [Function(nameof(CurrentStaff))]
    public Task<IResult> CurrentStaff([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/auth/me")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);
}
