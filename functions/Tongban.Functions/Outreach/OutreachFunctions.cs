using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Tongban.Hosting;
using Tongban.Notifications;

namespace Tongban.Outreach;

/// <summary>Outreach as functions: the monthly timer, the administrator's endpoints, the campaign's orchestration and its activities.</summary>
public sealed class OutreachFunctions(OutreachCampaigns campaigns, SmsDelivery sms, HttpFunctions http)
{
    /// <summary>
    /// Daily at 02:00 China time (18:00 UTC), and at start-up standalone: from the 5th of a month the month's campaign,
    /// before it the previous month's if it never ran (<see cref="Domain.Outreach.OutreachRule.CampaignMonth"/>), created
    /// once across instances (its id comes from the month); every campaign not completed — also an administrator's
    /// interrupted by a crash — gets its orchestration (instance id from the campaign), which continues from the database.
    /// </summary>
    [Function(nameof(MonthlyOutreach))]
    public async Task MonthlyOutreach([TimerTrigger("0 0 18 * * *")] TimerInfo timer, [DurableClient] DurableTaskClient durable, CancellationToken ct)
    {
        foreach (var id in await campaigns.RequestMonthlyAsync(ct))
            await OutreachCampaigns.StartOrchestrationAsync(durable, id, ct);
    }

    [Function(OutreachOrchestrator.Name), OrchestratorInput(typeof(string))]
    public static Task<string> Orchestrate([OrchestrationTrigger] TaskOrchestrationContext context) => OutreachOrchestrator.RunAsync(context);

    [Function(nameof(FindOutreachChunk))]
    public Task<CampaignSnapshot> FindOutreachChunk([ActivityTrigger] string campaignId) => campaigns.FindChunkAsync(campaignId, CancellationToken.None);

    /// <summary>Sends a batch of the campaign's queued SMS, each once; null when none is left.</summary>
    [Function(nameof(DeliverOutreachSms))]
    public Task<long?> DeliverOutreachSms([ActivityTrigger] CampaignSmsBatch batch) =>
        sms.DeliverForCampaignAsync(batch.CampaignId, batch.AfterId, OutreachCampaigns.SmsBatch, CancellationToken.None);

    [Function(nameof(CompleteOutreachCampaign))]
    public Task<CampaignSnapshot> CompleteOutreachCampaign([ActivityTrigger] string campaignId) => campaigns.CompleteAsync(campaignId, CancellationToken.None);

    [Function(nameof(StartOutreachCampaign))]
    public Task<IResult> StartOutreachCampaign([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/admin/outreach-campaigns")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);

    [Function(nameof(ListOutreachCampaigns))]
    public Task<IResult> ListOutreachCampaigns([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/admin/outreach-campaigns")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);

    [Function(nameof(GetOutreachCampaign))]
    public Task<IResult> GetOutreachCampaign([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/admin/outreach-campaigns/{id}")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);
}
