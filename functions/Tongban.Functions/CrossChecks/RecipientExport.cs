using System.Data.Common;
using System.Text;
using CsvHelper;
using Dapper;
using Tongban.Archive;
using Tongban.Domain;
using Tongban.Domain.Claims;
using Tongban.Hosting;
using Tongban.Payouts;
using Tongban.PersonalData;
using Tongban.Security;
using Tongban.Storage;

namespace Tongban.CrossChecks;

/// <summary>
/// The monthly list of active benefit recipients sent to the national social-insurance comparison system,
/// to find people insured in another province (Shijiazhuang's 跨省比对, seed 001). Full identity numbers
/// leave the system here, so every exported person is written to the reveal audit (个人信息保护法 art. 51).
/// </summary>
public sealed class RecipientExport(Database database, PersonalDataProtector protector, IArchive archive, TimeProvider clock)
{
    private static readonly string[] Header = ["idNumber", "name", "insuringCity", "startMonth", "endMonth"];

    public static string ArchivePath(string period) => $"cross-checks/{period}/recipients.csv";

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/admin/cross-checks/export", ExportAsync).RequireAuthorization(Principals.AdministratorPolicy).WithName("ExportRecipients")
            .Produces<string>(StatusCodes.Status200OK, "text/csv").ProducesValidationProblem()
            .WithSummary("Active recipients of a month, as CSV for the national comparison system");

    private static async Task<IResult> ExportAsync(string? period, HttpContext http, RecipientExport export, TimeProvider clock)
    {
        if (!YearMonth.TryParse(period, out var month))
            return Problems.Invalid("period", string.IsNullOrEmpty(period) ? "Required, as YYYY-MM." : "Not a month from 1900-01 on, as YYYY-MM.");
        if (month > YearMonth.Of(Deadlines.LocalDate(clock.GetUtcNow()))) return Problems.Invalid("period", "The month is in the future.");
        var csv = await export.WriteAsync(month, http.User.Identity!.Name!, http.RequestAborted);
        return TypedResults.File(csv, "text/csv; charset=utf-8", $"recipients-{month}.csv");
    }

    /// <summary>
    /// The scheduled export, from the 2nd of each month (China time) for the month begun and the one before (a month
    /// missed while everything was down): the same file, written once to the archive; a month already there is skipped.
    /// </summary>
    public async Task ExportDueAsync(CancellationToken ct)
    {
        foreach (var period in DueMonths.Since(2, clock.GetUtcNow()))
        {
            if (await archive.OpenReadAsync(ArchivePath(period), ct) is { } existing)
            {
                await existing.DisposeAsync();
                continue;
            }
            var csv = await WriteAsync(YearMonth.Parse(period), ClaimWorkflow.SystemActor, ct);
            try
            {
                await archive.PutAsync(ArchivePath(period), new MemoryStream(csv), "text/csv", ct);
            }
            catch (ArchiveConflictException)
            {
                // A previous attempt stored it and lost the answer: the export exists, which is what counts.
            }
        }
    }

    public async Task<byte[]> WriteAsync(YearMonth month, string actor, CancellationToken ct)
    {
        var period = month.ToString();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        using var buffer = new MemoryStream();
        await using (var writer = new StreamWriter(buffer, new UTF8Encoding(false), leaveOpen: true))
        await using (var csv = CsvWriter.Create(writer, null, leaveOpen: true))
        {
            csv.WriteHeader(Header);
            await database.InTransactionAsync(async (c, t) =>
            {
                foreach (var row in await c.QueryAsync<RecipientRow>(ActiveSql("id_number_enc, name_enc, insuring_city, start_month, end_month"),
                             new { period }, t))
                {
                    csv.WriteRecord([protector.Decrypt(row.IdNumberEnc), protector.Decrypt(row.NameEnc), row.InsuringCity, row.StartMonth, row.EndMonth]);
                }
                await c.ExecuteAsync(
                    $"INSERT INTO personal_data_reveals (at, actor, application_id, reason) {ActiveSql("@now, @actor, id, @reason")}",
                    new { period, now, actor, reason = $"跨省比对名单导出 {period}" }, t);
            }, ct);
        }
        return buffer.ToArray();
    }

    /// <summary>Approved or suspended entitlements that cover the month.</summary>
    private static string ActiveSql(string columns) =>
        $"""
         SELECT {columns} FROM applications
         WHERE status IN ('approved', 'suspended') AND start_month <= @period AND end_month >= @period
         """;

    private sealed class RecipientRow
    {
        public string IdNumberEnc { get; init; } = "";
        public string NameEnc { get; init; } = "";
        public string InsuringCity { get; init; } = "";
        public string StartMonth { get; init; } = "";
        public string EndMonth { get; init; } = "";
    }
}
