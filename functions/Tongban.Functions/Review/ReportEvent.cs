using System.Globalization;
using Microsoft.DurableTask.Client;
using Tongban.Applications;
using Tongban.Domain.Claims;
using Tongban.Hosting;
using Tongban.Security;

namespace Tongban.Review;

/// <summary>
/// A stop event. A death (<c>type</c> <c>died</c>) also carries the relative who reports it (<see cref="Reporter"/>,
/// required), the number of dependants (1 unless stated) and, optionally, the account the family wants paid
/// (<see cref="Payee"/>); other events carry none of them.
/// </summary>
public sealed record ReportEventRequest(string? Type, string? Date, int? Dependants, ReporterRequest? Reporter = null, PayeeRequest? Payee = null);

/// <summary>The relative reporting a death: name and mobile as at intake; <c>relationship</c> one of <see cref="Relationships.Names"/>' codes.</summary>
public sealed record ReporterRequest(string? Name, string? Relationship, string? Mobile);

/// <summary>An account the family gives for the death benefits: holder's name (the reporter's unless given) and 12 to 30 digits.</summary>
public sealed record PayeeRequest(string? Name, string? BankAccount);

/// <summary>Stop events reported at any office in the province (就近报告).</summary>
public static class ReportEvent
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/applications/{id}/events", HandleAsync).RequireAuthorization(Principals.StaffPolicy).WithName("ReportEvent")
            .WithSummary("Report re-employment, death, pension, enlistment, emigration, imprisonment or a refused job")
            .Produces<ReviewResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

    private static async Task<IResult> HandleAsync(string id, HttpContext http, ReviewCommands commands, DurableTaskClient durable,
        TimeProvider clock, ILogger<ReviewCommands> log)
    {
        var (request, problem) = await JsonBody.ReadAsync<ReportEventRequest>(http.Request);
        if (problem is not null) return problem;
        var errors = Validate(request!, Deadlines.LocalDate(clock.GetUtcNow()), out var date, out var death);
        if (errors.Count > 0) return Problems.Invalid(errors);
        ClaimStatus? status;
        try
        {
            status = await commands.ReportStopAsync(id, http.User.Staff()!, request!.Type!, date, death, http.RequestAborted);
        }
        catch (TransitionRefused e) when (e is { Kind: RefusalKind.Invalid, Field: { } field })
        {
            // The stop rule names the field it refuses: a date before the benefit began (the one check that needs the claim).
            return Problems.Invalid(e, field);
        }
        if (status is null) return Problems.NotFound($"Application {id}");
        // The stop and its SMS have committed; an orchestration delivers the SMS and archives the closed case.
        await ClaimWorkflows.SignalAsync(durable, id, log, CancellationToken.None);
        return TypedResults.Ok(new ReviewResponse(status.Value.Code()));
    }

    /// <summary>
    /// Every field of the body that is wrong whatever the claim, at once (field → message): <c>type</c> required and a
    /// known stop event, <c>date</c> required as YYYY-MM-DD and not after <paramref name="today"/> (China), and for a death
    /// the reporting relative (<see cref="DeathReport.Read"/>: <paramref name="death"/> when it is whole); dependants,
    /// reporter and payee only with a death. Empty when the body is good.
    /// </summary>
    internal static Dictionary<string, string[]> Validate(ReportEventRequest request, DateOnly today, out DateOnly date, out DeathReport? death)
    {
        var errors = new Dictionary<string, string[]>();
        death = null;
        if (string.IsNullOrWhiteSpace(request.Type)) errors["type"] = ["Required."];
        else if (StopEvents.TypeError(request.Type) is { } typeError) errors["type"] = [typeError];
        if (!DateOnly.TryParseExact(request.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
            errors["date"] = [string.IsNullOrEmpty(request.Date) ? "Required, as YYYY-MM-DD." : "Not a real date, as YYYY-MM-DD."];
        else if (StopEvents.DateError(date, today) is { } dateError) errors["date"] = [dateError];
        if (request.Type == StopEvents.Died)
        {
            // The family reports a death and is who Tongban speaks to from then on: the relative is required.
            if (request.Reporter is not { } reporter) errors["reporter"] = ["Required for type 'died': the relative reporting the death (name, relationship, mobile)."];
            else
                death = DeathReport.Read(reporter.Name, reporter.Relationship, reporter.Mobile, request.Dependants,
                    request.Payee is not null, request.Payee?.Name, request.Payee?.BankAccount, errors);
            return errors;
        }
        // Dependants, the reporter and the payee go with a death; they mean nothing for other events.
        if (request.Dependants is not null)
            errors["dependants"] = [$"Only for type 'died': the number of dependants, 0 to {DeathReport.MaxDependants}."];
        if (request.Reporter is not null) errors["reporter"] = ["Only for type 'died'."];
        if (request.Payee is not null) errors["payee"] = ["Only for type 'died'."];
        return errors;
    }
}
