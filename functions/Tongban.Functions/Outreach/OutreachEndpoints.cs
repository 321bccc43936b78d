using Microsoft.DurableTask.Client;
using Tongban.Hosting;
using Tongban.Security;
using Tongban.Storage;

namespace Tongban.Outreach;

/// <summary>
/// <c>POST /admin/outreach-campaigns</c>: <c>serviceItem</c> optional, <c>unemployment-benefit</c> by default. The
/// endpoint is Tongban's own (CONTRACT.md does not list it, so it sets no requirement); the answer is the campaign
/// started, whose <c>serviceItem</c> says which item an empty body chose.
/// </summary>
public sealed record StartCampaignRequest(string? ServiceItem);

/// <summary>Outreach campaigns for administrators: start one, list them with their counts, read one.</summary>
public static class OutreachEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var admin = api.MapGroup("/admin").RequireAuthorization(Principals.AdministratorPolicy);
        admin.MapPost("/outreach-campaigns", StartAsync).WithName("StartOutreachCampaign")
            .Produces<CampaignView>(StatusCodes.Status202Accepted).Produces<CampaignView>().ProducesValidationProblem()
            .WithSummary("Start an outreach campaign (主动服务): SMS to insured people who may be eligible and have not applied; 200 with the one still running for the item");
        admin.MapGet("/outreach-campaigns", ListAsync).WithName("ListOutreachCampaigns")
            .WithSummary("The latest 100 outreach campaigns, newest first, with found, sent, delivered and appliedSince")
            .Produces<CampaignView[]>();
        admin.MapGet("/outreach-campaigns/{id}", GetAsync).WithName("GetOutreachCampaign").WithSummary("An outreach campaign with its counts")
            .Produces<CampaignView>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> StartAsync(HttpContext http, OutreachCampaigns campaigns, OutreachOptions options, DurableTaskClient durable)
    {
        var serviceItem = Domain.Claims.ServiceItems.UnemploymentBenefit;
        if (http.Request.ContentLength is > 0 || http.Request.HasJsonContentType())
        {
            var (request, problem) = await JsonBody.ReadAsync<StartCampaignRequest>(http.Request);
            if (problem is not null) return problem;
            serviceItem = request!.ServiceItem ?? serviceItem;
        }
        if (!options.ServiceItems.Contains(serviceItem))
            return Problems.Invalid("serviceItem", $"One of: {string.Join(", ", options.ServiceItems)} (the subsidy only where Outreach:IncludeSubsidy is set).");
        var (campaign, created) = await campaigns.StartAsync(serviceItem, http.User.Identity!.Name!, http.RequestAborted);
        await OutreachCampaigns.StartOrchestrationAsync(durable, campaign.Id, http.RequestAborted);
        var location = $"/api/v1/admin/outreach-campaigns/{campaign.Id}";
        if (created) return TypedResults.Accepted(location, campaign);
        http.Response.Headers.Location = location;
        return TypedResults.Ok(campaign);
    }

    private static async Task<IResult> ListAsync(HttpContext http, Database database)
    {
        await using var c = await database.OpenAsync(http.RequestAborted);
        return TypedResults.Ok(await OutreachCampaigns.ViewsAsync(c, null));
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, Database database)
    {
        await using var c = await database.OpenAsync(http.RequestAborted);
        return (await OutreachCampaigns.ViewsAsync(c, null, id)).SingleOrDefault() is { } campaign
            ? TypedResults.Ok(campaign)
            : Problems.NotFound($"Outreach campaign {id}");
    }
}
