using System.Globalization;
using Microsoft.DurableTask.Client;
using Tongban.Applications;
using Tongban.Domain.Claims;
using Tongban.Hosting;
using Tongban.Security;

namespace Tongban.Review;

public sealed record ReportEventRequest(string? Type, string? Date, int? Dependants);

/// <summary>Stop events reported at any office in the province (就近报告).</summary>
public static class ReportEvent
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/applications/{id}/events", HandleAsync).RequireAuthorization(Principals.StaffPolicy).WithName("ReportEvent")
            .WithSummary("Report re-employment, death, pension, enlistment, emigration, imprisonment or a refused job");

    private static async Task<IResult> HandleAsync(string id, HttpContext http, ReviewCommands commands, DurableTaskClient durable,
        ILogger<ReviewCommands> log)
    {
        var (request, problem) = await JsonBody.ReadAsync<ReportEventRequest>(http.Request);
        if (problem is not null) return problem;
        if (string.IsNullOrWhiteSpace(request!.Type)) return Problems.Invalid("type", "Required.");
        if (!DateOnly.TryParseExact(request.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return Problems.Invalid("date", "Required, as YYYY-MM-DD.");
        // Dependants set the survivors' pension after a death (one unless stated); they mean nothing for other events.
        if (request.Dependants is { } dependants && (request.Type != StopEvents.Died || dependants is < 0 or > 20))
            return Problems.Invalid("dependants", "Only for type 'died': the number of dependants, 0 to 20.");
        var status = await commands.ReportStopAsync(id, http.User.Staff()!, request.Type, date, request.Dependants ?? 1, http.RequestAborted);
        if (status is null) return Problems.NotFound($"Application {id}");
        // The stop and its SMS have committed; an orchestration delivers the SMS and archives the closed case.
        await ClaimWorkflows.SignalAsync(durable, id, log, CancellationToken.None);
        return TypedResults.Ok(new ReviewResponse(status.Value.Code()));
    }
}
