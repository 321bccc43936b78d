using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Mvc;
using Tongban.Applications;
using Tongban.Domain.Claims;
using Tongban.Domain.Identifiers;
using Tongban.Domain.Province;
using Tongban.Hosting;
using Tongban.Outreach;
using Tongban.PersonalData;
using Tongban.Security;
using Tongban.Storage;
using Microsoft.DurableTask.Client;

namespace Tongban.Intake;

public sealed record ApplicantRequest(string? IdNumber, string? Name, string? Mobile);

public sealed record SubmitApplicationRequest(
    string? ServiceItem, string? Channel, string? AcceptingOffice, ApplicantRequest? Applicant, JsonElement? Details);

public sealed record SubmitApplicationResponse(string ApplicationId, string CaseNumber, string Status);

/// <summary>The applicant as validation leaves them: identity number, name and mobile each in its one canonical form.</summary>
public sealed record ValidApplicant(string IdNumber, DocumentKind DocumentKind, string Name, string Mobile);

/// <summary>
/// Portal intake (受理): validates, then in one transaction stores the application, its history and the "received"
/// SMS, and starts the claim's orchestration (<see cref="ClaimOrchestrator"/>), which verifies it. Idempotent per portal
/// and Idempotency-Key; should the start be lost, the reconciler starts it from the stored claim.
/// </summary>
public static class SubmitApplication
{
    public const int MaxBodyBytes = 64 * 1024;

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/applications", HandleAsync).WithName("SubmitApplication")
            .RequireAuthorization(Principals.PortalPolicy)
            .RequireRateLimiting(Principals.PortalPolicy)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .Accepts<SubmitApplicationRequest>("application/json")
            .Produces<SubmitApplicationResponse>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Submit an application (portals)");

    private static async Task<IResult> HandleAsync(HttpContext http, Database database, PersonalDataProtector protector,
        ProvinceConfig province, DurableTaskClient durable, TimeProvider clock)
    {
        var portalId = http.User.PortalId()!;
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        if (key.Length is 0 or > 64 || key.Any(char.IsControl))
            return Problems.Invalid("Idempotency-Key", "The Idempotency-Key header is required, at most 64 characters.");

        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        var requestHash = Convert.ToHexString(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));

        var (request, problem) = await JsonBody.ReadAsync<SubmitApplicationRequest>(http.Request, buffer);
        if (problem is not null) return problem;
        var now = clock.GetUtcNow();
        var errors = Validate(request!, province, Deadlines.LocalDate(now), out var applicant);
        if (errors.Count > 0)
            return await ReplayAsync(database, portalId, key, requestHash) ?? Problems.Invalid(errors);

        SubmitApplicationResponse response;
        try
        {
            response = await StoreAsync(database, protector, province, portalId, key, requestHash, request!, applicant, now, http.RequestAborted);
        }
        catch (Exception e) when (Database.IsUniqueViolation(e))
        {
            // A retry or concurrent twin with the same key, or the person already has an open application.
            if (await ReplayAsync(database, portalId, key, requestHash) is { } replayed) return replayed;
            return await ConflictAsync(database, protector.PersonKey(applicant.IdNumber), request!.ServiceItem!);
        }
        await ClaimWorkflows.StartAsync(durable, new ClaimInput(response.ApplicationId), http.RequestAborted);
        return TypedResults.Accepted($"/api/v1/applications/{response.ApplicationId}", response);
    }

    /// <summary>
    /// Stores a validated application in one batch, one round trip. The key goes in first: a retry or a concurrent twin
    /// fails there with a unique violation, before any other work, and on PostgreSQL waits for the first request to commit.
    /// </summary>
    internal static async Task<SubmitApplicationResponse> StoreAsync(Database database, PersonalDataProtector protector,
        ProvinceConfig province, string portalId, string key, string requestHash, SubmitApplicationRequest request,
        ValidApplicant applicant, DateTimeOffset now, CancellationToken ct)
    {
        var id = Guid.NewGuid();
        var caseNumber = NewCaseNumber(province, now);
        var transition = ClaimWorkflow.Submit(id, caseNumber, request.ServiceItem!, request.Channel!, request.AcceptingOffice, portalId);
        var response = new SubmitApplicationResponse(id.ToString(), caseNumber, transition.Claim.Status.Code());
        var personKey = protector.PersonKey(applicant.IdNumber);
        var sql = new StringBuilder($"""
            INSERT INTO idempotency_keys (portal_id, key, request_hash, status_code, response_json, created_at)
            VALUES (@portalId, @key, @requestHash, 202, @json, @at);
            INSERT INTO applications (id, case_number, service_item, channel, status, is_open, person_key,
                id_number_enc, document_kind, name_enc, mobile_enc, details_json, portal_id, accepting_office, assigned_office,
                received_at, due_at, updated_at, version, outreach_campaign_id)
            VALUES (@id, @caseNumber, @serviceItem, @channel, @status, 1, @personKey,
                @idNumber, @documentKind, @name, @mobile, @details, @portalId, @acceptingOffice, @acceptingOffice,
                @at, @dueAt, @at, @version, {OutreachCampaigns.ReachedBySql("@personKey", "@serviceItem", "@at")});

            """);
        var claim = transition.Claim;
        var args = new DynamicParameters(new
        {
            id = id.ToString(), portalId, key, requestHash, json = JsonSerializer.Serialize(response, JsonBody.Options),
            caseNumber, serviceItem = claim.ServiceItem, channel = claim.Channel, status = claim.Status.Code(), personKey,
            idNumber = protector.Encrypt(applicant.IdNumber), documentKind = applicant.DocumentKind.Code(),
            name = protector.Encrypt(applicant.Name),
            mobile = protector.Encrypt(applicant.Mobile),
            details = request.Details is { ValueKind: JsonValueKind.Object } d ? d.GetRawText() : null,
            acceptingOffice = claim.AcceptingOffice,
            dueAt = Deadlines.DueAt(claim.Status, now, province)?.ToUnixTimeMilliseconds(), version = claim.Version,
        });
        args.Add("at", now.ToUnixTimeMilliseconds());
        ClaimStore.AppendSubmittedTo(sql, args, transition);
        await database.InTransactionAsync((c, t) => c.ExecuteAsync(sql.ToString(), args, t), ct);
        return response;
    }

    private static async Task<IResult?> ReplayAsync(Database database, string portalId, string key, string requestHash)
    {
        await using var connection = await database.OpenAsync();
        var stored = await connection.QuerySingleOrDefaultAsync<StoredResponse>(
            "SELECT request_hash, response_json FROM idempotency_keys WHERE portal_id = @portalId AND key = @key",
            new { portalId, key });
        if (stored is null) return null;
        if (stored.RequestHash != requestHash)
            return Problems.Of(422, "Idempotency key reused", "This Idempotency-Key was already used with a different request body.");
        var response = JsonSerializer.Deserialize<SubmitApplicationResponse>(stored.ResponseJson, JsonBody.Options)!;
        return TypedResults.Accepted($"/api/v1/applications/{response.ApplicationId}", response);
    }

    private static async Task<IResult> ConflictAsync(Database database, string personKey, string serviceItem)
    {
        await using var connection = await database.OpenAsync();
        var existing = await connection.QuerySingleOrDefaultAsync<string>(
            "SELECT id FROM applications WHERE person_key = @personKey AND service_item = @serviceItem AND is_open = 1",
            new { personKey, serviceItem });
        return Problems.Refusal(409, "Open application exists", RefusalCode.OpenApplicationExists,
            "This person already has an open application for this service item.",
            new Dictionary<string, object?> { ["existingApplicationId"] = existing });
    }

    internal static Dictionary<string, string[]> Validate(SubmitApplicationRequest request, ProvinceConfig province,
        DateOnly today, out ValidApplicant applicant)
    {
        var errors = new Dictionary<string, string[]>();
        void Error(string field, string message) => errors[field] = [message];
        applicant = new ValidApplicant("", DocumentKind.ResidentId, "", "");

        if (string.IsNullOrWhiteSpace(request.ServiceItem)) Error("serviceItem", "Required.");
        else if (!ServiceItems.All.Contains(request.ServiceItem)) Error("serviceItem", $"Unknown service item '{request.ServiceItem}'.");
        else if (!ServiceItems.Accepted.Contains(request.ServiceItem))
            Error("serviceItem", $"'{request.ServiceItem}' is not accepted through this API yet; only {string.Join(", ", ServiceItems.Accepted)}.");

        if (request.Channel is not ("online" or "counter")) Error("channel", "Must be 'online' or 'counter'.");
        if (request.AcceptingOffice is { } office && province.FindOffice(office) is null)
            Error("acceptingOffice", $"Unknown office '{office}'.");
        else if (request.Channel == "counter" && request.AcceptingOffice is null)
            Error("acceptingOffice", "Required for counter applications.");

        if (request.Applicant is not { } a) { Error("applicant", "Required."); return errors; }
        if (IdentityNumber.Validate(a.IdNumber, today, out var document) is { } idError)
            Error("applicant.idNumber", $"Not a valid identity number: {idError}.");
        if (PersonName.Validate(a.Name, out var name) is { } nameError) Error("applicant.name", $"Not a valid name: {nameError}.");
        if (!MobileNumber.TryNormalize(a.Mobile, out var mobile))
            Error("applicant.mobile", "Not a mainland mobile number: 11 digits from 13 to 19, optionally after +86, 0086 or 86.");
        if (request.Details is { } details && details.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
            Error("details", "Must be an object.");
        if (document is not null) applicant = new ValidApplicant(document.Number, document.Kind, name, mobile);
        return errors;
    }

    /// <summary>Province code, date in China, and 8 random characters: unique enough, and unguessable.</summary>
    private static string NewCaseNumber(ProvinceConfig province, DateTimeOffset now)
    {
        const string alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        var random = RandomNumberGenerator.GetString(alphabet, 8);
        return $"{province.Code}{Deadlines.LocalDate(now):yyyyMMdd}{random}";
    }

    private sealed class StoredResponse
    {
        public string RequestHash { get; init; } = "";
        public string ResponseJson { get; init; } = "";
    }
}
