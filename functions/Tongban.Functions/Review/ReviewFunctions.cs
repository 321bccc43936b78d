using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Tongban.Hosting;

namespace Tongban.Review;

/// <summary>The review queue, first and final review, stop events and the family's account after a death, as functions. Each runs the standalone endpoint of the same name (<see cref="HttpFunctions"/>).</summary>
public sealed class ReviewFunctions(HttpFunctions http)
{
    [Function(nameof(ReviewQueue))]
    public Task<IResult> ReviewQueue([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/review-queue")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);

    [Function(nameof(FirstReview))]
    public Task<IResult> FirstReview([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/applications/{id}/first-review")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);

    [Function(nameof(FinalReview))]
    public Task<IResult> FinalReview([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/applications/{id}/final-review")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);

    [Function(nameof(EntitlementPreview))]
    public Task<IResult> EntitlementPreview([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/applications/{id}/entitlement-preview")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);

    [Function(nameof(ReportEvent))]
    public Task<IResult> ReportEvent([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/applications/{id}/events")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);

    [Function(nameof(SetDeathReportPayee))]
    public Task<IResult> SetDeathReportPayee([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/v1/applications/{id}/death-report/payee")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);
}
