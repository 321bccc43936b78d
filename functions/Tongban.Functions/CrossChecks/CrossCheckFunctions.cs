using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Tongban.Hosting;
using Tongban.Notifications;

namespace Tongban.CrossChecks;

/// <summary>
/// The cross-province check as functions: the monthly export, the import of the result, the matches' list, decision and
/// contest (each the standalone endpoint of the same name, <see cref="HttpFunctions"/>), and a match's orchestration with
/// its activities.
/// </summary>
public sealed class CrossCheckFunctions(RecipientExport export, HttpFunctions http, CrossCheckMatches matches, SmsDelivery sms)
{
    /// <summary>Daily at 01:00 China time (17:00 UTC); from the 2nd of the month it exports the month's recipients, once.</summary>
    [Function("CrossProvinceExport")]
    public Task CrossProvinceExport([TimerTrigger("0 0 17 * * *")] TimerInfo timer, CancellationToken ct) => export.ExportDueAsync(ct);

    [Function(nameof(ExportRecipients))]
    public Task<IResult> ExportRecipients([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/admin/cross-checks/export")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);

    [Function(nameof(ImportCrossChecks))]
    public Task<IResult> ImportCrossChecks([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/admin/cross-checks")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);

    [Function(nameof(ListCrossCheckMatches))]
    public Task<IResult> ListCrossCheckMatches([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/cross-check-matches")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);

    [Function(nameof(DecideCrossCheckMatch))]
    public Task<IResult> DecideCrossCheckMatch([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/cross-check-matches/{id}/decision")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);

    [Function(nameof(ContestCrossCheckMatch))]
    public Task<IResult> ContestCrossCheckMatch([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/cross-check-matches/{id}/contest")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);

    [Function(CrossCheckOrchestrator.Name), OrchestratorInput(typeof(MatchInput))]
    public static Task<string> Orchestrate([OrchestrationTrigger] TaskOrchestrationContext context) => CrossCheckOrchestrator.RunAsync(context);

    /// <summary>The match as it stands, then the SMS queued for its recipient (the hold notice), each once.</summary>
    [Function(nameof(LoadMatch))]
    public async Task<MatchSnapshot> LoadMatch([ActivityTrigger] string matchId)
    {
        var match = await matches.SnapshotAsync(matchId, CancellationToken.None);
        await sms.DeliverForApplicationAsync(match.ApplicationId, CancellationToken.None);
        return match;
    }

    /// <summary>Past its deadline: an open match escalates to the insuring city's supervisor, once.</summary>
    [Function(nameof(EscalateMatch))]
    public Task<MatchSnapshot> EscalateMatch([ActivityTrigger] string matchId) => matches.EscalateAsync(matchId, CancellationToken.None);
}
