using Dapper;
using Tongban.Domain.Claims;
using Tongban.Hosting;
using Tongban.PersonalData;
using Tongban.Security;
using Tongban.Storage;

namespace Tongban.Review;

/// <summary>
/// The account the family gives after a death was reported (the deceased's card account was closed, or none was given
/// with the report), at any office: every payment of the claim in a bank file created from then on goes there,
/// including the reissue of one the bank returned. Stored encrypted; the history records who changed it, not the account.
/// </summary>
public static class DeathReportPayee
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/applications/{id}/death-report/payee", HandleAsync).RequireAuthorization(Principals.StaffPolicy)
            .WithName("SetDeathReportPayee")
            .WithSummary("The account the family gives for the funeral grant, survivors' pension and unpaid benefit after a death")
            .Produces(StatusCodes.Status204NoContent).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<IResult> HandleAsync(string id, HttpContext http, Database database, PersonalDataProtector protector,
        TimeProvider clock)
    {
        var (request, problem) = await JsonBody.ReadAsync<PayeeRequest>(http.Request);
        if (problem is not null) return problem;
        var staff = http.User.Staff()!;
        return await database.InTransactionAsync<IResult>(async (c, t) =>
        {
            var reporterNameEnc = await c.QuerySingleOrDefaultAsync<string>(
                $"SELECT reporter_name_enc FROM death_reports WHERE application_id = @id{(database.Provider == DatabaseProvider.Postgres ? " FOR UPDATE" : "")}",
                new { id }, t);
            if (reporterNameEnc is null) return Problems.NotFound($"A reported death of application {id}");
            var errors = new Dictionary<string, string[]>();
            if (PayeeAccount.Read(request!.Name, request.BankAccount, protector.Decrypt(reporterNameEnc), errors) is not { } payee)
                return Problems.Invalid(errors);
            var at = clock.GetUtcNow().ToUnixTimeMilliseconds();
            await c.ExecuteAsync(
                """
                UPDATE death_reports SET payee_name_enc = @name, payee_account_enc = @account, payee_given_at = @at WHERE application_id = @id;
                INSERT INTO application_events (application_id, seq, at, type, actor, office, opinion, data_json)
                SELECT @id, COALESCE(MAX(seq), 0) + 1, @at, 'death-payee-given', @actor, @office, NULL, NULL
                FROM application_events WHERE application_id = @id;
                """,
                new { id, name = protector.Encrypt(payee.Name), account = protector.Encrypt(payee.BankAccount), at, actor = staff.Username, office = staff.OfficeCode },
                t);
            return TypedResults.NoContent();
        }, http.RequestAborted);
    }
}
