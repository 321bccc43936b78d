using System.Data.Common;
using System.Globalization;
using System.Text;
using CsvHelper;
using Dapper;
using Tongban.Archive;
using Tongban.Domain;
using Tongban.Domain.Ledger;
using Tongban.Domain.Payouts;
using Tongban.Domain.Province;
using Tongban.Ledger;
using Tongban.PersonalData;
using Tongban.Storage;
using Tongban.Work;

namespace Tongban.Payouts;

public sealed class PayoutFileRow
{
    public string RunId { get; init; } = "";
    public string CityCode { get; init; } = "";
    public string Path { get; init; } = "";
    public long Payments { get; init; }
    public long AmountFen { get; init; }
    public long Held { get; init; }
    public bool Archived { get; init; }
}

/// <summary>
/// Issuing a run, city by city (each city's fund pays its own): the run's scheduled payments go into one bank
/// file per city (<c>payouts/{period}/{city}.csv</c> in the archive: reference, card account, name, amount),
/// deductions for open recovery cases are taken, and the ledger posts the issue — all in one transaction, so
/// the books hold exactly what the file holds. Card accounts are decrypted only to write the file.
/// </summary>
public sealed class PaymentFiles(Database database, PersonalDataProtector protector, IArchive archive, WorkItems items,
    ProvinceConfig province, TimeProvider clock)
{
    public static readonly string[] Header = ["reference", "account", "name", "amount", "memo"];
    public const string NoAccountReason = "无社会保障卡金融账户";

    public static string ArchivePath(string period, string cityCode) => $"payouts/{period}/{cityCode}.csv";

    public async Task IssueAllAsync(WorkItem item, string runId, YearMonth period, CancellationToken ct)
    {
        List<string> cities;
        await using (var connection = await database.OpenAsync(ct))
            cities = (await connection.QueryAsync<string>(
                "SELECT DISTINCT city_code FROM payments WHERE run_id = @runId ORDER BY city_code", new { runId })).ToList();
        foreach (var city in cities)
        {
            var file = await IssueAsync(item, runId, period, city, ct);
            if (file.Archived) continue;
            await WriteAsync(file, ct);
            await database.InTransactionAsync(async (c, t) =>
            {
                await PayoutLocks.RenewLeaseAsync(c, t, item, items, clock);
                await c.ExecuteAsync("UPDATE payout_files SET archived = TRUE WHERE run_id = @RunId AND city_code = @CityCode", file, t);
            }, ct);
        }
    }

    private Task<PayoutFileRow> IssueAsync(WorkItem item, string runId, YearMonth period, string city, CancellationToken ct) =>
        database.InTransactionAsync(async (c, t) =>
        {
            await PayoutLocks.RenewLeaseAsync(c, t, item, items, clock);
            var existing = await c.QuerySingleOrDefaultAsync<PayoutFileRow>(
                "SELECT * FROM payout_files WHERE run_id = @runId AND city_code = @city", new { runId, city }, t);
            if (existing is not null) return existing;

            var now = clock.GetUtcNow();
            var path = ArchivePath(period.ToString(), city);
            var args = new { runId, city, path, now = now.ToUnixTimeMilliseconds(), reason = NoAccountReason };
            await c.ExecuteAsync(
                """
                UPDATE payments SET status = 'sent', bank_file = @path, updated_at = @now
                WHERE run_id = @runId AND city_code = @city AND status = 'scheduled'
                """, args, t);
            // Without a card account there is nowhere to send the money: held back as returned, for staff to resolve.
            await c.ExecuteAsync(
                """
                UPDATE payments SET status = 'returned', bank_file = NULL, return_reason = @reason, flagged = TRUE, updated_at = @now
                WHERE run_id = @runId AND city_code = @city AND bank_file = @path
                  AND NOT EXISTS (SELECT 1 FROM applications a JOIN persons p ON p.person_key = a.person_key
                                  WHERE a.id = payments.application_id AND p.bank_account_enc IS NOT NULL)
                """, args, t);
            await Recoveries.DeductAsync(c, t, runId, city, path, province.Payouts, now);

            var totals = await c.QuerySingleAsync<IssueRow>(
                """
                SELECT
                  CAST(COALESCE(SUM(CASE WHEN kind = 'benefit' AND attempt = 1 THEN amount_fen ELSE 0 END), 0) AS BIGINT) AS new_benefit_fen,
                  CAST(COALESCE(SUM(medical_fen), 0) AS BIGINT) AS medical_fen,
                  CAST(COALESCE(SUM(CASE WHEN kind <> 'benefit' AND attempt = 1 THEN amount_fen ELSE 0 END), 0) AS BIGINT) AS new_death_fen,
                  CAST(COALESCE(SUM(CASE WHEN attempt = 1 THEN deducted_fen ELSE 0 END), 0) AS BIGINT) AS deducted_fen,
                  CAST(COALESCE(SUM(CASE WHEN attempt > 1 THEN amount_fen - deducted_fen ELSE 0 END), 0) AS BIGINT) AS reissued_fen,
                  CAST(COALESCE(SUM(CASE WHEN bank_file IS NULL THEN amount_fen - deducted_fen ELSE 0 END), 0) AS BIGINT) AS held_fen,
                  CAST(COALESCE(SUM(CASE WHEN bank_file IS NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS held,
                  CAST(COALESCE(SUM(CASE WHEN bank_file IS NULL THEN 0 ELSE 1 END), 0) AS BIGINT) AS in_file,
                  CAST(COALESCE(SUM(CASE WHEN bank_file IS NULL THEN 0 ELSE amount_fen - deducted_fen END), 0) AS BIGINT) AS file_fen
                FROM payments WHERE run_id = @runId AND city_code = @city AND status NOT IN ('scheduled', 'cancelled')
                """, args, t);
            var label = $"{period.Year}年{period.Month}月";
            await LedgerStore.PostAsync(c, t, Postings.Issue($"issue:{runId}:{city}", city, $"{label}待遇发放（银行代发文件）",
                new IssueTotals(totals.NewBenefitFen, totals.MedicalFen, totals.NewDeathFen, totals.DeductedFen, totals.ReissuedFen)), runId, now);
            await LedgerStore.PostAsync(c, t, Postings.BankReturn($"held:{runId}:{city}", city, $"{label}无金融账户暂缓发放",
                paidFen: 0, returnedFen: totals.HeldFen, returnedOverpaidFen: 0), runId, now);
            var file = new PayoutFileRow
            {
                RunId = runId, CityCode = city, Path = path, Payments = totals.InFile, AmountFen = totals.FileFen, Held = totals.Held, Archived = false,
            };
            await c.ExecuteAsync(
                """
                INSERT INTO payout_files (run_id, city_code, path, payments, amount_fen, held, archived, created_at)
                VALUES (@RunId, @CityCode, @Path, @Payments, @AmountFen, @Held, FALSE, @now)
                """, new { file.RunId, file.CityCode, file.Path, file.Payments, file.AmountFen, file.Held, now = args.now }, t);
            return file;
        }, ct);

    /// <summary>
    /// Streams the file's payments into a temporary file (memory stays flat however large the city) and stores it.
    /// A retry after a crash writes the same content; if an earlier attempt stored it already, that copy stands.
    /// </summary>
    private async Task WriteAsync(PayoutFileRow file, CancellationToken ct)
    {
        var temp = Path.Combine(Path.GetTempPath(), $"tongban-payout-{Guid.NewGuid():N}.csv");
        try
        {
            await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await using var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16);
                await using var csv = CsvWriter.Create(writer, null, leaveOpen: true);
                csv.WriteHeader(Header);
                await using var connection = await database.OpenAsync(ct);
                var rows = connection.QueryUnbufferedAsync<FileLine>(
                    """
                    SELECT p.id, p.kind, p.period, p.amount_fen - p.deducted_fen AS net_fen, a.name_enc, per.bank_account_enc
                    FROM payments p
                    JOIN applications a ON a.id = p.application_id
                    JOIN persons per ON per.person_key = a.person_key
                    WHERE p.run_id = @RunId AND p.city_code = @CityCode AND p.bank_file = @Path
                    ORDER BY p.id
                    """, file);
                await foreach (var row in rows.WithCancellation(ct))
                {
                    var month = YearMonth.Parse(row.Period);
                    csv.WriteRecord([
                        row.Id,
                        protector.Decrypt(row.BankAccountEnc ?? throw new InvalidOperationException(
                            $"Payment {row.Id} was issued to a card account that has since been removed: restore it in the registry.")),
                        protector.Decrypt(row.NameEnc),
                        (row.NetFen / 100m).ToString("0.00", CultureInfo.InvariantCulture),
                        $"{month.Year}年{month.Month}月{PaymentCodes.ParseKind(row.Kind).Name()}",
                    ]);
                }
            }
            await using var content = new FileStream(temp, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            try
            {
                await archive.PutAsync(file.Path, content, "text/csv", ct);
            }
            catch (ArchiveConflictException)
            {
                // Stored by an attempt that crashed before recording it: the archived file is the one the bank gets.
            }
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private sealed class IssueRow
    {
        public long NewBenefitFen { get; init; }
        public long MedicalFen { get; init; }
        public long NewDeathFen { get; init; }
        public long DeductedFen { get; init; }
        public long ReissuedFen { get; init; }
        public long HeldFen { get; init; }
        public long Held { get; init; }
        public long InFile { get; init; }
        public long FileFen { get; init; }
    }

    private sealed class FileLine
    {
        public string Id { get; init; } = "";
        public string Kind { get; init; } = "";
        public string Period { get; init; } = "";
        public long NetFen { get; init; }
        public string NameEnc { get; init; } = "";
        public string? BankAccountEnc { get; init; }
    }
}
