using Dapper;
using Tongban.Hosting;
using Tongban.PersonalData;
using Tongban.Security;
using Tongban.Storage;

namespace Tongban.Applications;

/// <summary>Why the full values are needed: 2 to 200 characters, written to the audit trail.</summary>
public sealed record RevealRequest(string? Reason);

/// <summary>The applicant's full identity number, name and mobile.</summary>
public sealed record RevealedApplicant(string IdNumber, string Name, string Mobile);

/// <summary>
/// Staff who handle a case may see the applicant's full identity number, name and mobile — the accepting
/// office, the assigned office, the insuring city — with a stated reason, and every reveal is written to
/// the audit trail (个人信息保护法 arts. 28, 51). Everyone else sees masked values only.
/// </summary>
public static class RevealPersonalData
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/applications/{id}/reveal", HandleAsync).RequireAuthorization(Principals.StaffPolicy).WithName("RevealPersonalData")
            .WithSummary("Full personal data of an application, for staff handling it; audited")
            .Produces<RevealedApplicant>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<IResult> HandleAsync(string id, HttpContext http, Database database, PersonalDataProtector protector, TimeProvider clock)
    {
        var (request, problem) = await JsonBody.ReadAsync<RevealRequest>(http.Request);
        if (problem is not null) return problem;
        var reason = request!.Reason?.Trim();
        if (reason is not { Length: >= 2 and <= 200 }) return Problems.Invalid("reason", "State why the full values are needed (2 to 200 characters).");
        var staff = http.User.Staff()!;

        var revealed = await database.InTransactionAsync<RevealedApplicant?>(async (c, t) =>
        {
            var row = await c.QuerySingleOrDefaultAsync<Row>(
                "SELECT accepting_office, assigned_office, insuring_city, id_number_enc, name_enc, mobile_enc FROM applications WHERE id = @id",
                new { id }, t);
            if (row is null) return null;
            var handles = (staff.OfficeCode is { } office && (office == row.AcceptingOffice || office == row.AssignedOffice))
                          || (staff.CityCode is { } city && city == row.InsuringCity);
            if (!handles) throw new Domain.Claims.TransitionRefused(Domain.Claims.RefusalKind.Forbidden, Domain.Claims.RefusalCode.OutsideCaseScope,
                "Only staff of the accepting office, the assigned office or the insuring city may see full personal data.");
            await c.ExecuteAsync("INSERT INTO personal_data_reveals (at, actor, application_id, reason) VALUES (@at, @actor, @id, @reason)",
                new { at = clock.GetUtcNow().ToUnixTimeMilliseconds(), actor = staff.Username, id, reason = Tongban.Domain.PersonalData.Mask.FreeText(reason) }, t);
            return new RevealedApplicant(protector.Decrypt(row.IdNumberEnc), protector.Decrypt(row.NameEnc), protector.Decrypt(row.MobileEnc));
        }, http.RequestAborted);
        return revealed is null ? Problems.NotFound($"Application {id}") : TypedResults.Ok(revealed);
    }

    private sealed class Row
    {
        public string? AcceptingOffice { get; init; }
        public string? AssignedOffice { get; init; }
        public string? InsuringCity { get; init; }
        public string IdNumberEnc { get; init; } = "";
        public string NameEnc { get; init; } = "";
        public string MobileEnc { get; init; } = "";
    }
}
