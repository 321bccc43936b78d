using System.Diagnostics;
using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tongban.Domain;
using Tongban.Domain.Claims;
using Tongban.Hosting;
using Tongban.Payouts;
using Tongban.PersonalData;
using Tongban.Storage;

namespace Tongban.Bench;

/// <summary>
/// A supplementary run (补发) of N new approvals' first months against a payments table that already holds M payments
/// of earlier months, all seeded set-based in SQL: the month's own run has completed, the approvals' months wait as
/// outstanding payments (as an approval leaves them), and the run is timed from the request to the last bank file.
/// </summary>
public static class SupplementaryBenchmark
{
    private static readonly string[] Cities = ["460100", "460200", "460300", "460400", "469001"];

    public static async Task RunAsync(string provider, int approvals, long existing, string? postgres)
    {
        await using var store = await BenchStore.CreateAsync(provider, postgres, b => b.CommandTimeout = 3600);
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
            await SeedAsync(db, new PersonalDataProtector(encryption, index), approvals, existing, period);
            Console.WriteLine($"[{provider}] seeded {existing:N0} earlier payments and {approvals:N0} new approvals in {seed.Elapsed.TotalSeconds:F1} s");

            var runs = app.Services.GetRequiredService<PayoutRuns>();
            var watch = Stopwatch.StartNew();
            var run = (await runs.RequestAsync(period, "bench", CancellationToken.None))!;
            if (run.Kind != RunKind.Supplementary) throw new InvalidOperationException($"Expected a supplementary run, got {run.Kind}.");
            await runs.RunStepsAsync(run.RunId, CancellationToken.None);
            var wall = watch.Elapsed;
            await using (var c = await db.OpenAsync())
            {
                var sent = await c.ExecuteScalarAsync<long>("SELECT COALESCE(SUM(payments), 0) FROM payout_files WHERE run_id = @RunId AND archived", run);
                if (sent != approvals) throw new InvalidOperationException($"{sent} payments in bank files for {approvals} approvals.");
            }
            Console.WriteLine($"[{provider}] supplementary run of {approvals:N0} new approvals against {existing:N0} payments: {wall.TotalSeconds:F2} s wall");
        }

    }

    /// <summary>
    /// The earlier payments (paid by past monthly runs, 1,000,000 a month), the month's own
    /// run completed, and the new approvals with their month outstanding — each one <c>INSERT … SELECT</c>.
    /// </summary>
    private static async Task SeedAsync(Database db, PersonalDataProtector protector, int approvals, long existing, YearMonth period)
    {
        var postgres = db.Provider == DatabaseProvider.Postgres;
        string Numbers(string count) => postgres ? $"generate_series(1, {count}) AS n(i)" : "n";
        string With(string count) => postgres ? "" : $"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {count})";
        var guid = postgres
            ? "gen_random_uuid()::text"
            : "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-a' || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))";
        var hex32 = postgres ? "lpad(to_hex(n.i), 32, '0')" : "printf('%032x', n.i)";
        var city = "CASE n.i % 5 " + string.Join(" ", Cities.Select((c, i) => $"WHEN {i} THEN '{c}'")) + " END";
        // Month k (1 = the month before this one, going back) holds payments i of that month: ids 'YYYYMMB01' || 32 hex digits.
        var months = Enumerable.Range(1, (int)((existing + 999_999) / 1_000_000)).Select(k => period.AddMonths(-k)).ToList();
        var args = new
        {
            approvals, idEnc = protector.Encrypt("460200198503150011"), nameEnc = protector.Encrypt("王小明"),
            mobileEnc = protector.Encrypt("13800138000"), accountEnc = protector.Encrypt("6217856100012345678"),
            period = period.ToString(), now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        };
        foreach (var (month, k) in months.Select((m, k) => (m, k)))
        {
            var count = Math.Min(1_000_000, existing - k * 1_000_000L);
            await db.InTransactionAsync(async (c, t) =>
            {
                await c.ExecuteAsync(
                        """
                        INSERT INTO payout_runs (id, period, kind, sequence, status, chunks, requested_by, created_at, completed_at)
                        VALUES (@id, @month, 'monthly', 0, 'completed', 0, 'bench', @now, @now)
                    """, new { id = $"bench-{month}", month = month.ToString(), args.now }, t);
                await c.ExecuteAsync(
                        $"""
                         {With(count.ToString())}
                         INSERT INTO payments (id, application_id, city_code, period, kind, attempt, reissue_of, amount_fen, medical_fen,
                                               deducted_fen, status, run_id, return_reason, flagged, held, paid_at, created_at, updated_at)
                         SELECT '{month.Year:D4}{month.Month:D2}B01' || {hex32}, 'bench-' || n.i, {city}, @month, 'benefit', 1, NULL, 183000, 26200,
                                0, 'paid', @runId, NULL, FALSE, FALSE, @now, @now, @now
                         FROM {Numbers(count.ToString())}
                         """, new { month = month.ToString(), runId = $"bench-{month}", args.now }, t, commandTimeout: 3600);
            });
        }
        await db.InTransactionAsync(async (c, t) =>
        {
            await c.ExecuteAsync(
                """
                INSERT INTO payout_runs (id, period, kind, sequence, status, chunks, requested_by, created_at, completed_at)
                VALUES ('bench-own', @period, 'monthly', 0, 'completed', 0, 'bench', @now, @now)
                """, args, t);
            await c.ExecuteAsync(
                $"""
                 {With("@approvals")}
                 INSERT INTO persons (person_key, id_number_enc, name_enc, mobile_enc, bank_account_enc, contact_hash, updated_at)
                 SELECT 'new-' || n.i, @idEnc, @nameEnc, @mobileEnc, @accountEnc, 'bench', @now FROM {Numbers("@approvals")}
                 """, args, t, commandTimeout: 1200);
            await c.ExecuteAsync(
                $"""
                 {With("@approvals")}
                 INSERT INTO applications (id, case_number, service_item, channel, status, is_open, person_key, id_number_enc, name_enc,
                     mobile_enc, portal_id, insuring_city, entitlement_months, monthly_fen, start_month, end_month, received_at, updated_at, version)
                 SELECT {guid}, 'NEW-' || n.i, 'unemployment-benefit', 'online', 'approved', 1, 'new-' || n.i, @idEnc, @nameEnc,
                     @mobileEnc, 'bench', {city}, 12, 183000, @period, @period, @now, @now, 3
                 FROM {Numbers("@approvals")}
                 """, args, t, commandTimeout: 1200);
            // What an approval after the month's run leaves: the month outstanding, for the next supplementary run.
            await c.ExecuteAsync(
                $"""
                 INSERT INTO payments (id, application_id, city_code, period, kind, attempt, reissue_of, amount_fen, medical_fen,
                                       deducted_fen, status, run_id, return_reason, flagged, held, created_at, updated_at)
                 SELECT '{period.Year:D4}{period.Month:D2}B01' || replace(a.id, '-', ''), a.id, a.insuring_city, @period, 'benefit', 1, NULL,
                        183000, 26200, 0, 'scheduled', NULL, NULL, FALSE, FALSE, @now, @now
                 FROM applications a WHERE a.case_number LIKE 'NEW-%'
                 """, args, t, commandTimeout: 1200);
        });
        // As in the payout benchmark: PostgreSQL's autovacuum would have run; nothing analyzes a SQLite database in service.
        if (!postgres)
            return;
        await using var connection = await db.OpenAsync();
        await connection.ExecuteAsync("VACUUM ANALYZE", commandTimeout: 3600);
    }
}
