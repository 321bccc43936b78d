using System.Text.Json.Serialization;
using Microsoft.DurableTask;

namespace Tongban.Outreach;

/// <summary>One batch of a campaign's SMS: the messages after <paramref name="AfterId"/> (notification ids, 0 for the first).</summary>
public sealed record CampaignSmsBatch(string CampaignId, long AfterId);

/// <summary>What operators see of a campaign's orchestration: its step (finding, sending, completed) and the chunks looked at.</summary>
public sealed record CampaignStep([property: JsonPropertyName("step")] string Step, [property: JsonPropertyName("chunks")] long Chunks);

/// <summary>
/// An outreach campaign, one orchestration per campaign (instance id <c>outreach-{campaignId}</c>): find, chunk after
/// chunk → deliver its SMS, batch after batch → complete. The database decides, Durable drives: each step is an activity
/// that commits one transaction guarded by the campaign's status and cursor (<see cref="OutreachCampaigns"/>), so a
/// step replayed after a crash, or run by a second orchestration of the same campaign, finds its work done.
/// </summary>
public static class OutreachOrchestrator
{
    public const string Name = "OutreachOrchestrator";

    /// <summary>Finding steps per execution before the orchestration continues as new: its history stays short.</summary>
    public const int ChunksPerExecution = 100;

    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 8, firstRetryInterval: TimeSpan.FromSeconds(5), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromHours(1)));

    public static async Task<string> RunAsync(TaskOrchestrationContext context)
    {
        var campaignId = context.GetInput<string>() ?? throw new InvalidOperationException("An outreach orchestration needs its campaign.");
        var campaign = new CampaignSnapshot(campaignId, CampaignStatus.Finding, 0);
        for (var chunk = 0; campaign.Status == CampaignStatus.Finding; chunk++)
        {
            if (chunk == ChunksPerExecution)
            {
                context.ContinueAsNew(campaignId);
                return campaign.Status;
            }
            context.SetCustomStatus(new CampaignStep(CampaignStatus.Finding, campaign.Chunks));
            campaign = await context.CallActivityAsync<CampaignSnapshot>(nameof(OutreachFunctions.FindOutreachChunk), campaignId, Retry);
        }
        if (campaign.Status == CampaignStatus.Sending)
        {
            context.SetCustomStatus(new CampaignStep(CampaignStatus.Sending, campaign.Chunks));
            for (long? after = 0; after is { } from;)
                after = await context.CallActivityAsync<long?>(nameof(OutreachFunctions.DeliverOutreachSms), new CampaignSmsBatch(campaignId, from), Retry);
            campaign = await context.CallActivityAsync<CampaignSnapshot>(nameof(OutreachFunctions.CompleteOutreachCampaign), campaignId, Retry);
        }
        context.SetCustomStatus(new CampaignStep(campaign.Status, campaign.Chunks));
        return campaign.Status;
    }
}
