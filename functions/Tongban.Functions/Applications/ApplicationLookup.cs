using Dapper;
using Tongban.Domain.Claims;
using Tongban.Domain.Identifiers;
using Tongban.Domain.PersonalData;
using Tongban.Hosting;
using Tongban.PersonalData;
using Tongban.Security;
using Tongban.Storage;

namespace Tongban.Applications;

/// <summary>
/// What staff look an application up by: its case number, or the applicant's identity number (in any form intake takes:
/// full-width digits, spaces, lower-case x). Exactly one of the two. Sent in the body, so no identity number reaches a
/// URL or a request log.
/// </summary>
public sealed record LookupRequest(string? CaseNumber, string? IdNumber);

/// <summary>
/// One application found, personal data masked: enough for a reviewer to pick the recipient a stop report is about
/// (<c>entitlement</c> null until approved; months <c>YYYY-MM</c>, amount in yuan).
/// </summary>
public sealed record LookupEntry(string ApplicationId, string CaseNumber, string ServiceItem, string Status, string? InsuringCity,
    string? AssignedOffice, DateTimeOffset ReceivedAt, LookupApplicant Applicant, LookupEntitlement? Entitlement);

/// <summary>The applicant masked as everywhere else (<see cref="Mask"/>).</summary>
public sealed record LookupApplicant(string IdNumber, string Name);

/// <summary>The entitlement's months and monthly amount (yuan).</summary>
public sealed record LookupEntitlement(int Months, decimal MonthlyAmount, string StartMonth, string EndMonth);

/// <summary>
/// Staff anywhere in the province find an application by case number or identity number (全省通办: a stop is reported at
/// any office, 就近报告), newest first, at most 20. Nothing unmasked leaves: the full values need the audited reveal.
/// </summary>
public static class ApplicationLookup
{
    private const int Limit = 20;

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/applications/lookup", HandleAsync).RequireAuthorization(Principals.StaffPolicy).WithName("LookupApplications")
            .WithSummary("Staff: applications by case number or applicant identity number (masked), newest first")
            .Produces<LookupEntry[]>().ProducesValidationProblem();

    private static async Task<IResult> HandleAsync(HttpContext http, Database database, PersonalDataProtector protector, TimeProvider clock)
    {
        var (request, problem) = await JsonBody.ReadAsync<LookupRequest>(http.Request);
        if (problem is not null) return problem;
        var caseNumber = string.IsNullOrWhiteSpace(request!.CaseNumber) ? null : request.CaseNumber.Trim();
        var idGiven = !string.IsNullOrWhiteSpace(request.IdNumber);
        if (caseNumber is null && !idGiven)
            return Problems.Invalid("$", "Give a case number (caseNumber) or an identity number (idNumber).");
        if (caseNumber is not null && idGiven)
            return Problems.Invalid("caseNumber", "Give either a case number or an identity number (idNumber), not both.");
        if (caseNumber is { Length: > 64 }) return Problems.Invalid("caseNumber", "At most 64 characters.");
        string? personKey = null;
        if (idGiven)
        {
            if (IdentityNumber.Validate(request.IdNumber, Deadlines.LocalDate(clock.GetUtcNow()), out var document) is { } error)
                return Problems.Invalid("idNumber", $"The identity number: {error}.");
            personKey = protector.PersonKey(document!.Number);
        }

        await using var connection = await database.OpenAsync(http.RequestAborted);
        var rows = await connection.QueryAsync<Row>(
            $"""
             SELECT id, case_number, service_item, status, insuring_city, assigned_office, received_at, id_number_enc, name_enc,
                    entitlement_months, monthly_fen, start_month, end_month
             FROM applications WHERE {(personKey is null ? "case_number = @caseNumber" : "person_key = @personKey")}
             ORDER BY received_at DESC LIMIT {Limit}
             """, new { caseNumber, personKey });
        return TypedResults.Ok(rows.Select(r => new LookupEntry(r.Id, r.CaseNumber, r.ServiceItem, r.Status, r.InsuringCity, r.AssignedOffice,
            ApplicationViews.Time(r.ReceivedAt),
            new LookupApplicant(Mask.IdNumber(protector.Decrypt(r.IdNumberEnc)), Mask.Name(protector.Decrypt(r.NameEnc))),
            r.EntitlementMonths is { } months ? new LookupEntitlement((int)months, r.MonthlyFen!.Value / 100m, r.StartMonth!, r.EndMonth!) : null)));
    }

    private sealed class Row
    {
        public string Id { get; init; } = "";
        public string CaseNumber { get; init; } = "";
        public string ServiceItem { get; init; } = "";
        public string Status { get; init; } = "";
        public string? InsuringCity { get; init; }
        public string? AssignedOffice { get; init; }
        public long ReceivedAt { get; init; }
        public string IdNumberEnc { get; init; } = "";
        public string NameEnc { get; init; } = "";
        public long? EntitlementMonths { get; init; }
        public long? MonthlyFen { get; init; }
        public string? StartMonth { get; init; }
        public string? EndMonth { get; init; }
    }
}
