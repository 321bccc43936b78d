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

namespace Tongban.Payouts;

/// <summary>
/// A city's bank file as issuing left it, and the claims still being paid whose first payment it put into a bank file
/// (their orchestrations wait for it: <see cref="Applications.ClaimOrchestrator"/>). A claim that closed meanwhile is not
/// among them: its orchestration has ended.
/// </summary>
public sealed record IssuedFile(PayoutFileRow File, IReadOnlyList<string> FirstPayments);

public sealed class PayoutFileRow
{
    public string RunId { get; init; } = "";
    public string CityCode { get; init; } = "";
    public string Path { get; init; } = "";
    public long Payments { get; init; }
    public long AmountFen { get; init; }
    public long Held { get; init; }
    public bool Archived { get; init; }
    /// <summary>The file's part of its run's totals, in fen, as issuing computed them (see <see cref="PayoutRunView"/>).</summary>
    public long BenefitFen { get; init; }
    public long MedicalFen { get; init; }
    public long DeathFen { get; init; }
    public long ReissuedFen { get; init; }
    public long DeductedFen { get; init; }
    /// <summary>What the payments held back (no card account) would have paid, in fen.</summary>
    public long HeldFen { get; init; }
}

/// <summary>
/// Issuing a run, city by city (each city's fund pays its own), in two parts. First, in one transaction: payments to
/// people without a card account are held back for staff, deductions for open recovery cases are taken, the ledger
/// posts the issue from the payments' sums, and the file is recorded — which is what makes its scheduled payments
/// <c>sent</c>, with no row of theirs rewritten, and fixes which payments the file holds. Then the city's bank file
/// (<c>payouts/{period}/{run id}/{city}.csv</c>: reference, card account, name, amount, memo) is written to the archive; card
/// accounts are decrypted only for it.
/// <para>
/// Two writers of the same file (a step repeated after a crash, or the same run's orchestration on two instances) are
/// harmless: the archive is write-once, so the second meets <see cref="ArchiveConflictException"/> and takes the file as
/// written; and the content is deterministic — the recorded payments in reference order — so whichever writer's bytes
/// the archive keeps (or mixes, when both stage the blocks of one blob) they are the same file.
/// </para>
/// </summary>
public sealed class PaymentFiles(Database database, PersonalDataProtector protector, IArchive archive, ProvinceConfig province,
    TimeProvider clock)
{
    public static readonly string[] Header = ["reference", "account", "name", "amount", "memo"];
    public const string NoAccountReason = "无社会保障卡金融账户";
    private const int DecryptBatch = 4096;

    /// <summary>
    /// Where a run's bank file for a city is archived: <c>payouts/2026-11/{run id}/460200.csv</c>. The run's id (a random
    /// UUID) makes the path this run's alone: the archive keeps files across a database restored to an earlier point or
    /// replaced, and a path named only by month and city would take that database's file as this run's (write-once:
    /// the conflict reads as "already written") and send the bank other people's payments.
    /// </summary>
    public static string ArchivePath(RunRow run, string cityCode) => $"payouts/{run.Period}/{run.Id}/{cityCode}.csv";

    /// <summary>
    /// The payments a file holds: those of its run and city issued with it, except the ones held back. Cancelled ones
    /// never were issued; whatever happens later (paid, returned, overpaid) does not take a payment out of its file.
    /// </summary>
    public const string InFileSql = "p.run_id = @RunId AND p.city_code = @CityCode AND p.status <> 'cancelled' AND NOT p.held AND p.amount_fen > p.deducted_fen";

    /// <summary>
    /// Claims whose first payment is in the file: <c>first_issued_at</c> set, and the id and status of each returned. Only
    /// entitled claims that had no payment in a bank file are read, through their own index (few, however large the file),
    /// and each one's payments through the per-application index: a run pays months up to its own (@Period), and saying
    /// so keeps the planners off the run's index, which would read the whole file for every claim.
    /// </summary>
    public const string FirstIssuedSql =
        $"""
         UPDATE applications SET first_issued_at = @now
         WHERE entitlement_months IS NOT NULL AND first_issued_at IS NULL
           AND EXISTS (SELECT 1 FROM payments p WHERE p.application_id = applications.id AND p.period <= @Period AND {InFileSql})
         RETURNING id, status
         """;

    /// <summary>
    /// Issues the city's part of a run and writes its bank file; a part issued or written before is left as it is. Once
    /// the file is in the archive, the claims whose first payment it holds are marked in the same transaction and
    /// returned (<see cref="IssuedFile.FirstPayments"/>), for their orchestrations to be told; a file found in the archive
    /// already returns none (they were marked when it got there).
    /// </summary>
    /// <exception cref="InvalidOperationException">The run is not issuing (its payments are not all in yet).</exception>
    public async Task<IssuedFile> IssueAsync(string runId, string city, CancellationToken ct)
    {
        var file = await RecordAsync(runId, city, ct);
        if (file.Archived) return new IssuedFile(file, []);
        await WriteAsync(file, ct);
        var first = await database.InTransactionAsync(async (c, t) =>
        {
            var args = new
            {
                file.RunId, file.CityCode, now = clock.GetUtcNow().ToUnixTimeMilliseconds(),
                Period = await c.ExecuteScalarAsync<string>("SELECT period FROM payout_runs WHERE id = @RunId", new { file.RunId }, t),
            };
            await c.ExecuteAsync("UPDATE payout_files SET archived = TRUE WHERE run_id = @RunId AND city_code = @CityCode", args, t);
            return (await c.QueryAsync<(string Id, string Status)>(FirstIssuedSql, args, t)).ToList();
        }, ct);
        return new IssuedFile(new PayoutFileRow
        {
            RunId = file.RunId, CityCode = file.CityCode, Path = file.Path, Payments = file.Payments, AmountFen = file.AmountFen,
            Held = file.Held, Archived = true, BenefitFen = file.BenefitFen, MedicalFen = file.MedicalFen, DeathFen = file.DeathFen,
            ReissuedFen = file.ReissuedFen, DeductedFen = file.DeductedFen, HeldFen = file.HeldFen,
        }, first.Where(a => a.Status is "approved" or "suspended").Select(a => a.Id).ToList());
    }

    private Task<PayoutFileRow> RecordAsync(string runId, string city, CancellationToken ct) =>
        database.InTransactionAsync(async (c, t) =>
        {
            await PayoutLocks.PayingAsync(database, c, t);
            var run = await PayoutRuns.LockAsync(database, c, t, runId);
            var existing = await c.QuerySingleOrDefaultAsync<PayoutFileRow>(
                "SELECT * FROM payout_files WHERE run_id = @runId AND city_code = @city", new { runId, city }, t);
            if (existing is not null) return existing;
            if (run.Status != RunStatus.Issuing)
                throw new InvalidOperationException($"Payout run {runId} is {run.Status}: its bank files are issued once all its payments are in.");

            var period = YearMonth.Parse(run.Period);
            var now = clock.GetUtcNow();
            var args = new { runId, city, now = now.ToUnixTimeMilliseconds(), reason = NoAccountReason };
            // Without a card account there is nowhere to send the money: held back as returned, for staff to resolve.
            // The few such people come from their own index, so the run's payments are not read for them. CROSS JOIN keeps
            // SQLite's planner, which has no statistics in service, from reading every application to find them.
            await c.ExecuteAsync(
                """
                UPDATE payments SET status = 'returned', return_reason = @reason, flagged = TRUE, held = TRUE, updated_at = @now
                WHERE application_id IN (SELECT a.id FROM persons per CROSS JOIN applications a
                                         WHERE per.bank_account_enc IS NULL AND a.person_key = per.person_key
                                           AND NOT EXISTS (SELECT 1 FROM death_reports d
                                                           WHERE d.application_id = a.id AND d.payee_account_enc IS NOT NULL))
                  AND run_id = @runId AND city_code = @city AND status = 'scheduled'
                """, args, t);
            await Recoveries.DeductAsync(c, t, database.Provider == DatabaseProvider.Postgres, runId, city, province.Payouts, now);
            // A payment set off in full (a death benefit netted against the months paid after the death) is settled here:
            // the bank has nothing to pay, so it is not a line of the file, and no return file will confirm it.
            await c.ExecuteAsync(
                """
                UPDATE payments SET status = 'paid', paid_at = @now, updated_at = @now
                WHERE run_id = @runId AND city_code = @city AND status = 'scheduled' AND NOT held AND amount_fen = deducted_fen
                """, args, t);

            var totals = await c.QuerySingleAsync<IssueRow>(
                """
                SELECT
                  CAST(COALESCE(SUM(CASE WHEN kind = 'benefit' AND attempt = 1 THEN amount_fen ELSE 0 END), 0) AS BIGINT) AS new_benefit_fen,
                  CAST(COALESCE(SUM(medical_fen), 0) AS BIGINT) AS medical_fen,
                  CAST(COALESCE(SUM(CASE WHEN kind <> 'benefit' AND attempt = 1 THEN amount_fen ELSE 0 END), 0) AS BIGINT) AS new_death_fen,
                  CAST(COALESCE(SUM(CASE WHEN attempt = 1 THEN deducted_fen ELSE 0 END), 0) AS BIGINT) AS deducted_fen,
                  CAST(COALESCE(SUM(CASE WHEN attempt > 1 THEN amount_fen - deducted_fen ELSE 0 END), 0) AS BIGINT) AS reissued_fen,
                  CAST(COALESCE(SUM(CASE WHEN held THEN amount_fen - deducted_fen ELSE 0 END), 0) AS BIGINT) AS held_fen,
                  CAST(COALESCE(SUM(CASE WHEN held THEN 1 ELSE 0 END), 0) AS BIGINT) AS held,
                  CAST(COALESCE(SUM(CASE WHEN held OR amount_fen = deducted_fen THEN 0 ELSE 1 END), 0) AS BIGINT) AS in_file,
                  CAST(COALESCE(SUM(CASE WHEN held THEN 0 ELSE amount_fen - deducted_fen END), 0) AS BIGINT) AS file_fen
                FROM payments WHERE run_id = @runId AND city_code = @city AND status <> 'cancelled'
                """, args, t);
            var label = $"{period.Year}年{period.Month}月{(run.Kind == RunKind.Supplementary ? $"第{run.Sequence}次补发" : "")}";
            await LedgerStore.PostAsync(c, t, Postings.Issue($"issue:{runId}:{city}", city, $"{label}待遇发放（银行代发文件）",
                new IssueTotals(totals.NewBenefitFen, totals.MedicalFen, totals.NewDeathFen, totals.DeductedFen, totals.ReissuedFen)), runId, now);
            await LedgerStore.PostAsync(c, t, Postings.BankReturn($"held:{runId}:{city}", city, $"{label}无金融账户暂缓发放",
                paidFen: 0, returnedFen: totals.HeldFen, returnedOverpaidFen: 0), runId, now);
            var file = new PayoutFileRow
            {
                RunId = runId, CityCode = city, Path = ArchivePath(run, city), Payments = totals.InFile,
                AmountFen = totals.FileFen, Held = totals.Held, Archived = false, BenefitFen = totals.NewBenefitFen,
                MedicalFen = totals.MedicalFen, DeathFen = totals.NewDeathFen, ReissuedFen = totals.ReissuedFen,
                DeductedFen = totals.DeductedFen, HeldFen = totals.HeldFen,
            };
            await c.ExecuteAsync(
                """
                INSERT INTO payout_files (run_id, city_code, path, payments, amount_fen, held, archived, created_at,
                                          benefit_fen, medical_fen, death_fen, reissued_fen, deducted_fen, held_fen)
                VALUES (@RunId, @CityCode, @Path, @Payments, @AmountFen, @Held, FALSE, @now,
                        @BenefitFen, @MedicalFen, @DeathFen, @ReissuedFen, @DeductedFen, @HeldFen)
                """, new
                {
                    file.RunId, file.CityCode, file.Path, file.Payments, file.AmountFen, file.Held, now = args.now, file.BenefitFen,
                    file.MedicalFen, file.DeathFen, file.ReissuedFen, file.DeductedFen, file.HeldFen,
                }, t);
            return file;
        }, ct);

    /// <summary>
    /// Streams the file's payments in reference order, in batches (memory stays flat however large the run; each batch's
    /// decryption is spread over the cores), into a temporary file, and stores it in the archive. A file an earlier or
    /// concurrent writer stored already stands.
    /// </summary>
    private async Task WriteAsync(PayoutFileRow file, CancellationToken ct)
    {
        var output = new CityFile();
        try
        {
            await using (var connection = await database.OpenAsync(ct))
            {
                var rows = connection.QueryUnbufferedAsync<FileLine>(
                    $"""
                     SELECT p.id, p.kind, p.period, p.amount_fen - p.deducted_fen AS net_fen,
                            {Payees.NameSql} AS name_enc, {Payees.AccountSql} AS bank_account_enc
                     FROM payments p
                     JOIN applications a ON a.id = p.application_id
                     JOIN persons per ON per.person_key = a.person_key
                     JOIN payout_files f ON f.run_id = p.run_id AND f.city_code = p.city_code
                     {Payees.JoinSql}
                     WHERE {InFileSql}
                     ORDER BY p.id
                     """, new { file.RunId, file.CityCode });
                var batch = new List<FileLine>(DecryptBatch);
                var records = new string[DecryptBatch][];
                await foreach (var row in rows.WithCancellation(ct))
                {
                    batch.Add(row);
                    if (batch.Count < DecryptBatch) continue;
                    Write(output, batch, records);
                    batch.Clear();
                }
                Write(output, batch, records);
            }
            await output.DisposeAsync();
            await using var content = new FileStream(output.Temp, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            try
            {
                await archive.PutAsync(file.Path, content, "text/csv", ct);
            }
            catch (ArchiveConflictException)
            {
                // Stored by a writer that crashed before recording it, or by another running the same step: the same file.
            }
        }
        finally
        {
            await output.DisposeAsync();
            File.Delete(output.Temp);
        }
    }

    private void Write(CityFile output, List<FileLine> batch, string[][] records)
    {
        Parallel.For(0, batch.Count, i =>
        {
            var row = batch[i];
            var month = YearMonth.Parse(row.Period);
            records[i] =
            [
                row.Id,
                protector.Decrypt(row.BankAccountEnc ?? throw new InvalidOperationException(
                    $"Payment {row.Id} was issued to a card account that has since been removed: restore it in the registry.")),
                protector.Decrypt(row.NameEnc),
                (row.NetFen / 100m).ToString("0.00", CultureInfo.InvariantCulture),
                $"{month.Year}年{month.Month}月{PaymentCodes.ParseKind(row.Kind).Name()}",
            ];
        });
        for (var i = 0; i < batch.Count; i++) output.Csv.WriteRecord(records[i]);
    }

    /// <summary>A city's bank file being written: a temporary file in the machine's temp folder until it is archived.</summary>
    private sealed class CityFile : IAsyncDisposable
    {
        private readonly StreamWriter _writer;
        private bool _disposed;

        public CityFile()
        {
            Temp = Path.Combine(Path.GetTempPath(), $"tongban-payout-{Guid.NewGuid():N}.csv");
            _writer = new StreamWriter(new FileStream(Temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16), new UTF8Encoding(false), 1 << 16);
            Csv = CsvWriter.Create(_writer, null, leaveOpen: true);
            Csv.WriteHeader(Header);
        }

        public string Temp { get; }
        public CsvWriter Csv { get; }

        public async ValueTask DisposeAsync()
        {
            if (_disposed) return;
            _disposed = true;
            await Csv.DisposeAsync();
            await _writer.DisposeAsync();
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
