using System.Diagnostics;
using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tongban.Domain;
using Tongban.Domain.Claims;
using Tongban.Domain.Payouts;
using Tongban.Hosting;
using Tongban.Payouts;
using Tongban.PersonalData;
using Tongban.Storage;

namespace Tongban.Bench;

/// <summary>
/// The monthly payout run over N approved entitlements (seeded set-based), timed from the request to the last bank
/// file, against a plain <c>INSERT … SELECT</c> of the same N payment rows into an unindexed copy of the payments table
/// in the same process.
/// Memory is sampled during the run (working set, managed heap), so the seeding does not count.
/// </summary>
public static class PayoutBenchmark
{
    private static readonly string[] Cities = ["460100", "460200", "460300", "460400", "469001"];

    public static async Task RunAsync(string provider, int entitlements, string? postgres)
    {
        await using var store = await BenchStore.CreateAsync(provider, postgres, b => b.CommandTimeout = 600);
        var (folder, connection) = (store.Folder, store.ConnectionString);
        var encryption = RandomNumberGenerator.GetBytes(32);
        var index = RandomNumberGenerator.GetBytes(32);

        await using (var app = await TongbanApp.BuildAsync([
                         $"--Database:Provider={provider}", $"--ConnectionStrings:Tongban={connection}",
                         $"--PersonalData:EncryptionKey={Convert.ToBase64String(encryption)}", $"--PersonalData:IndexKey={Convert.ToBase64String(index)}",
                         "--Demo:Enabled=false", "--Durable:InProcess=false", $"--Archive:Path={Path.Combine(folder, "archive")}",
                         "--Logging:LogLevel:Default=Warning",
                     ]))
        {
            var db = app.Services.GetRequiredService<Database>();
            var period = YearMonth.Of(Deadlines.LocalDate(DateTimeOffset.UtcNow));
            var seed = Stopwatch.StartNew();
            await SeedAsync(db, new PersonalDataProtector(encryption, index), entitlements, period.AddMonths(-3));
            Console.WriteLine($"[{provider}] seeded {entitlements:N0} approved entitlements in {seed.Elapsed.TotalSeconds:F1} s");

            var plain = await PlainInsertAsync(db, period);
            Console.WriteLine($"[{provider}] plain INSERT … SELECT of {entitlements:N0} payment rows: {plain.TotalSeconds:F2} s");

            var (wall, paid, peakWorkingSet, peakHeap, allocated) = await TimedRunAsync(app.Services, db, period);
            var peakProcess = Process.GetCurrentProcess().PeakWorkingSet64;
            await using (var c = await db.OpenAsync())
            {
                var payments = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM payments");
                var unbalanced = await c.ExecuteScalarAsync<long>(
                    "SELECT COUNT(*) FROM (SELECT transaction_id FROM ledger_entries GROUP BY transaction_id HAVING SUM(debit_fen) <> SUM(credit_fen)) u");
                var sent = await c.ExecuteScalarAsync<long>("SELECT COALESCE(SUM(payments), 0) FROM payout_files WHERE archived");
                if (payments != entitlements || sent != entitlements || unbalanced != 0)
                    throw new InvalidOperationException($"{payments} payments, {sent} in bank files, {unbalanced} unbalanced transactions for {entitlements} entitlements.");
            }
            Console.WriteLine($"[{provider}] payout run of {entitlements:N0}: {wall.TotalSeconds:F2} s wall " +
                              $"(payment step {paid.TotalSeconds:F2} s, then issue, ledger and bank files {(wall - paid).TotalSeconds:F2} s); " +
                              $"payment step {paid / plain:F2}× the plain insert, whole run {wall / plain:F2}×");
            Console.WriteLine($"[{provider}] memory during the run: peak working set {peakWorkingSet / 1048576.0:F0} MB, peak managed heap " +
                              $"{peakHeap / 1048576.0:F0} MB, {allocated / 1048576.0:F0} MB allocated; process peak working set {peakProcess / 1048576.0:F0} MB");
        }

    }

    /// <summary>
    /// One person and one approved application per entitlement, each an INSERT … SELECT over generated numbers. They are
    /// recipients being paid month by month, as a monthly run finds them: their first payment went into an earlier bank
    /// file (<c>first_issued_at</c>), so the run has no claim orchestration to tell.
    /// </summary>
    private static async Task SeedAsync(Database db, PersonalDataProtector protector, int count, YearMonth start)
    {
        var postgres = db.Provider == DatabaseProvider.Postgres;
        var numbers = postgres ? "generate_series(1, @count) AS n(i)" : "n";
        var with = postgres ? "" : "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @count)";
        var guid = postgres
            ? "gen_random_uuid()::text"
            : "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-a' || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))";
        var city = "CASE n.i % 5 " + string.Join(" ", Cities.Select((c, i) => $"WHEN {i} THEN '{c}'")) + " END";
        var args = new
        {
            count, idEnc = protector.Encrypt("460200198503150011"), nameEnc = protector.Encrypt("王小明"),
            mobileEnc = protector.Encrypt("13800138000"), accountEnc = protector.Encrypt("6217856100012345678"),
            start = start.ToString(), end = start.AddMonths(11).ToString(), now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        };
        await db.InTransactionAsync(async (c, t) =>
        {
            await c.ExecuteAsync(
                $"""
                 {with}
                 INSERT INTO persons (person_key, id_number_enc, name_enc, mobile_enc, bank_account_enc, contact_hash, updated_at)
                 SELECT 'bench-' || n.i, @idEnc, @nameEnc, @mobileEnc, @accountEnc, 'bench', @now FROM {numbers}
                 """, args, t, commandTimeout: 1200);
            await c.ExecuteAsync(
                $"""
                 {with}
                 INSERT INTO applications (id, case_number, service_item, channel, status, is_open, person_key, id_number_enc, name_enc,
                     mobile_enc, portal_id, insuring_city, entitlement_months, monthly_fen, start_month, end_month, received_at, updated_at, version,
                     first_issued_at)
                 SELECT {guid}, 'BENCH-' || n.i, 'unemployment-benefit', 'online', 'approved', 1, 'bench-' || n.i, @idEnc, @nameEnc,
                     @mobileEnc, 'bench', {city}, 12, 183000, @start, @end, @now, @now, 3, @now
                 FROM {numbers}
                 """, args, t, commandTimeout: 1200);
        });
        // PostgreSQL's autovacuum would have analyzed the tables and set the visibility map by the time a month's run starts;
        // nothing analyzes a SQLite database in service, so the SQLite run meets it without statistics, as it would there.
        if (!postgres)
            return;
        await using var connection = await db.OpenAsync();
        await connection.ExecuteAsync("VACUUM ANALYZE", commandTimeout: 1200);
    }

    /// <summary>
    /// The yardstick: the same payment rows — every column the run writes, the same join for the rates — into a copy
    /// of the payments table without keys or indexes, in one statement and one transaction, reading applications in the
    /// order they are stored (SQLite without statistics would otherwise read them through the status index).
    /// </summary>
    private static async Task<TimeSpan> PlainInsertAsync(Database db, YearMonth period)
    {
        var postgres = db.Provider == DatabaseProvider.Postgres;
        await using (var c = await db.OpenAsync())
        {
            await c.ExecuteAsync(postgres
                ? "CREATE TABLE bench_plain_payments (LIKE payments)"
                : "CREATE TABLE bench_plain_payments AS SELECT * FROM payments WHERE 0 = 1");
            await c.ExecuteAsync("INSERT INTO payout_runs (id, period, kind, sequence, status, chunks, requested_by, created_at) VALUES ('plain', '1900-01', 'monthly', 0, 'completed', 0, 'bench', 0)");
            await c.ExecuteAsync("INSERT INTO payout_run_cities (run_id, city_code, benefit_fen, medical_fen) VALUES ('plain', @city, 183000, 26200)",
                Cities.Select(city => new { city }));
        }
        var watch = Stopwatch.StartNew();
        await db.InTransactionAsync((c, t) => c.ExecuteAsync(
            $"""
            INSERT INTO bench_plain_payments (id, application_id, city_code, period, kind, attempt, reissue_of, amount_fen, medical_fen,
                                              deducted_fen, status, run_id, return_reason, flagged, held, created_at, updated_at)
            SELECT @prefix || replace(a.id, '-', ''), a.id, a.insuring_city, @period, 'benefit', 1, NULL, r.benefit_fen, r.medical_fen,
                   0, 'scheduled', 'plain', NULL, FALSE, FALSE, 0, 0
            FROM applications a {(postgres ? "" : "NOT INDEXED")} JOIN payout_run_cities r ON r.run_id = 'plain' AND r.city_code = a.insuring_city
            WHERE a.status = 'approved' AND a.start_month <= @period AND a.end_month >= @period
            """, new { prefix = PaymentReference.Prefix(period, PaymentKind.Benefit, 1), period = period.ToString() }, t, commandTimeout: 1200));
        var elapsed = watch.Elapsed;
        await using (var c = await db.OpenAsync())
        {
            await c.ExecuteAsync("DROP TABLE bench_plain_payments");
            await c.ExecuteAsync("DELETE FROM payout_run_cities WHERE run_id = 'plain'");
            await c.ExecuteAsync("DELETE FROM payout_runs WHERE id = 'plain'");
        }
        return elapsed;
    }

    private static async Task<(TimeSpan Wall, TimeSpan Paid, long PeakWorkingSet, long PeakHeap, long Allocated)> TimedRunAsync(
        IServiceProvider services, Database db, YearMonth period)
    {
        GC.Collect();
        var process = Process.GetCurrentProcess();
        long peakWorkingSet = 0, peakHeap = 0;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        TimeSpan? paid = null;
        var watch = Stopwatch.StartNew();
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                process.Refresh();
                peakWorkingSet = Math.Max(peakWorkingSet, process.WorkingSet64);
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                if (paid is null)
                {
                    // Every payment of the month inserted: the run has left its paying step for issuing.
                    await using var c = await db.OpenAsync();
                    if (await c.ExecuteScalarAsync<long>(
                            "SELECT COUNT(*) FROM payout_runs WHERE period = @period AND status IN ('issuing', 'completed')",
                            new { period = period.ToString() }) > 0)
                        paid = watch.Elapsed;
                }
                await Task.Delay(20);
            }
        });
        var runId = (await services.GetRequiredService<PayoutRuns>().RequestAsync(period, "bench", CancellationToken.None))!.RunId;
        await services.GetRequiredService<PayoutRuns>().RunStepsAsync(runId, CancellationToken.None);
        var wall = watch.Elapsed;
        await sampling.CancelAsync();
        await sampler;
        await using (var c = await db.OpenAsync())
            if (await c.ExecuteScalarAsync<string>("SELECT status FROM payout_runs WHERE id = @runId", new { runId }) != RunStatus.Completed)
                throw new InvalidOperationException("The run did not complete.");
        return (wall, paid ?? wall, peakWorkingSet, peakHeap, GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore);
    }
}
