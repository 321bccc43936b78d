using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Tongban.Hosting;

namespace Tongban.CrossChecks;

public sealed class CrossCheckFunctions(RecipientExport export, HttpFunctions http)
{
    /// <summary>Daily at 01:00 China time (17:00 UTC); from the 2nd of the month it exports the month's recipients, once.</summary>
    [Function("CrossProvinceExport")]
    public Task CrossProvinceExport([TimerTrigger("0 0 17 * * *")] TimerInfo timer, CancellationToken ct) => export.ExportDueAsync(ct);

    [Function(nameof(ExportRecipients))]
    public Task<IResult> ExportRecipients([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/admin/cross-checks/export")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);
}
