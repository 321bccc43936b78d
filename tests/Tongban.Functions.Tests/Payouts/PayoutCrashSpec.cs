using System.Net.Http.Json;
using Dapper;
using Tongban.Domain;
using Tongban.Domain.Claims;
using Tongban.Tests.Archive;
using Tongban.Tests.Infrastructure;
using Tongban.Tests.Reliability;

namespace Tongban.Tests.Payouts;

/// <summary>
/// SIGKILL the app at random points of monthly and supplementary runs, over and over: 4,000 entitlements, twelve months
/// or more to pay, 25 applications per transaction, and late approvals of months already run, paid by supplementary
/// runs. The in-memory task hub dies with each kill; after every restart the reconciler gives each unfinished run a new
/// orchestration, which carries on from the run's status and cursor. On Azure Storage (Azurite) the task hub outlives
/// the kill and the restarted app takes over the orchestrations the dead one held. In the end each entitlement is paid
/// exactly once per month, every bank file holds its run's payments, and the books balance to the fen.
/// </summary>
public abstract class PayoutCrashSpec(Store kind, Backend backend) : IAsyncLifetime
{
    private const int Entitlements = 4000;
    private const int MinimumKills = 20;
    private const int LateApprovals = 40;
    private const int SupplementaryRounds = 4;
    private readonly AzuriteFixture _azurite = new();
    private readonly string _taskHub = "payoutcrash" + Guid.NewGuid().ToString("N")[..12];
    private TestStore _store = null!;
    private AppProcess? _app;

    /// <summary>
    /// How long a restarted app may take to move the runs on: on Azure Storage the dead instance's messages come back
    /// after their visibility timeout and its partitions after their lease expires.
    /// </summary>
    private TimeSpan Patience => TimeSpan.FromSeconds(backend == Backend.AzureStorage ? 180 : 60);

    public async ValueTask InitializeAsync()
    {
        _store = await TestStore.CreateAsync(kind);
        if (backend == Backend.AzureStorage) await _azurite.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        await _azurite.DisposeAsync();
        await _store.DisposeAsync();
    }

    /// <summary>
    /// 25 applications per transaction on the in-memory backend; on Azure Storage, which runs some fifteen orchestration
    /// steps a second on Azurite, 250, so that twelve months take minutes, not a quarter of an hour.
    /// </summary>
    private string[] Settings() => backend == Backend.AzureStorage
        ?
        [
            "--Payouts:ChunkSize=250", "--Durable:Backend=AzureStorage", $"--Durable:StorageConnection={_azurite.ConnectionString}",
            $"--Durable:TaskHub={_taskHub}", "--Durable:VisibilityTimeoutSeconds=15",
        ]
        : ["--Payouts:ChunkSize=25"];

    [Fact]
    public async Task Killed_at_random_points_the_runs_finish_with_one_payment_per_entitlement_and_month_and_balanced_books()
    {
        if (backend == Backend.AzureStorage) _azurite.Require();
        var thisMonth = YearMonth.Of(Deadlines.LocalDate(DateTimeOffset.UtcNow));
        // Two years of entitlement; the last twelve months are asked for at once, earlier ones six at a time should
        // the runs finish before enough kills (the machine may be fast or idle).
        var available = Enumerable.Range(-23, 24).Select(thisMonth.AddMonths).ToList();
        await EntitlementSeed.InsertAsync(_store, Entitlements, available[0], 24);
        var months = new List<YearMonth>();
        var late = new Dictionary<YearMonth, int>();
        var port = AppProcess.FreePort();
        var random = new Random(20261122);
        var kills = 0;

        _app = await AppProcess.StartAsync(_store, port, Settings());
        await RequestAsync(available.TakeLast(12));

        // Kill while runs are moving: after a random number of committed steps, a random moment into the next ones.
        while (kills < MinimumKills)
        {
            if (await CompletedAsync() == await RunsAsync())
            {
                if (late.Values.Sum() < SupplementaryRounds * LateApprovals)
                {
                    // Approved after the month's run: the month waits for a supplementary run, asked for at once.
                    var month = months[random.Next(months.Count)];
                    await ApproveLateAsync(month, late.Values.Sum());
                    late[month] = late.GetValueOrDefault(month) + LateApprovals;
                    await RequestAsync([month]);
                }
                else
                {
                    var earlier = available.Except(months).TakeLast(6).ToList();
                    if (earlier.Count == 0) Assert.Fail($"Every month was paid after only {kills} kills.");
                    await RequestAsync(earlier);
                }
            }
            var target = await ProgressAsync() + random.Next(1, 8);
            var deadline = DateTime.UtcNow + Patience;
            while (await ProgressAsync() < target && await CompletedAsync() < await RunsAsync())
            {
                if (DateTime.UtcNow > deadline) Assert.Fail("The runs stopped moving after a restart.");
                await Task.Delay(5);
            }
            await Task.Delay(random.Next(0, 50));
            await _app.KillAsync();
            kills++;
            _app = await AppProcess.StartAsync(_store, port, Settings());
        }

        async Task RequestAsync(IEnumerable<YearMonth> periods)
        {
            using var admin = await TestApp.StaffAsync(_app!.Address, "admin");
            foreach (var month in periods)
            {
                (await admin.PostAsJsonAsync("/api/v1/admin/payout-runs", new { period = month.ToString() })).EnsureSuccessStatusCode();
                if (!months.Contains(month)) months.Add(month);
            }
        }
        var finish = DateTime.UtcNow + 2 * Patience;
        // Whatever a kill left outstanding (a late approval's month adopted by no run yet) is asked for again.
        while (await CompletedAsync() < await RunsAsync() || await CountAsync("SELECT COUNT(*) FROM payments WHERE run_id IS NULL") > 0)
        {
            if (DateTime.UtcNow > finish) Assert.Fail("The runs did not finish after the last restart.");
            if (await CompletedAsync() == await RunsAsync()) await RequestAsync(late.Keys);
            await Task.Delay(100);
        }
        await _app.DisposeAsync();

        Assert.True(kills >= MinimumKills, $"{kills} kills");
        Assert.True(await CountAsync("SELECT COUNT(*) FROM payout_runs WHERE kind = 'supplementary'") >= late.Count);
        foreach (var month in months)
        {
            Assert.Equal(Entitlements + late.GetValueOrDefault(month),
                await CountAsync($"SELECT COUNT(*) FROM payments WHERE period = '{month}' AND kind = 'benefit'"));
        }
        Assert.Equal(0, await CountAsync(
            "SELECT COUNT(*) FROM (SELECT application_id, period FROM payments GROUP BY application_id, period HAVING COUNT(*) > 1) doubled"));
        Assert.Equal(months.Count * Entitlements + late.Values.Sum(), await CountAsync(
            "SELECT COUNT(*) FROM payments p JOIN payout_files f ON f.run_id = p.run_id AND f.city_code = p.city_code WHERE f.archived AND p.status = 'scheduled'"));
        Assert.Equal(0, await CountAsync(
            "SELECT COUNT(*) FROM (SELECT transaction_id FROM ledger_entries GROUP BY transaction_id HAVING SUM(debit_fen) <> SUM(credit_fen)) unbalanced"));
        Assert.Equal(await CountAsync("SELECT SUM(amount_fen) FROM payments"),
            await CountAsync("SELECT SUM(debit_fen) FROM ledger_entries WHERE account = 'benefit-expense'"));
        Assert.Equal(await CountAsync("SELECT SUM(amount_fen) FROM payments"),
            await CountAsync("SELECT SUM(credit_fen) FROM ledger_entries WHERE account = 'payable-to-bank'"));
        Assert.Equal(await CountAsync("SELECT SUM(medical_fen) FROM payments"),
            await CountAsync("SELECT SUM(debit_fen) FROM ledger_entries WHERE account = 'medical-contribution-expense'"));
        Assert.Equal(await CountAsync("SELECT COUNT(*) FROM payout_files"), await CountAsync("SELECT COUNT(*) FROM ledger_transactions WHERE kind = 'issue'"));
        await using (var database = _store.Open())
        await using (var connection = await database.OpenAsync())
            foreach (var (path, runId, city) in await connection.QueryAsync<(string, string, string)>("SELECT path, run_id, city_code FROM payout_files"))
            {
                var lines = await File.ReadAllLinesAsync(Path.Combine([_store.Folder, "archive", .. path.Split('/')]));
                Assert.Equal(await CountAsync($"SELECT COUNT(*) FROM payments WHERE run_id = '{runId}' AND city_code = '{city}'"), lines.Length - 1);
                Assert.Equal(lines.Length - 1, lines.Skip(1).Select(l => l.Split(',')[0]).Distinct().Count());
            }
    }

    /// <summary>
    /// <see cref="LateApprovals"/> entitlements of one month approved after its run, as an approval leaves them: the month
    /// outstanding (no run yet), for the next supplementary run.
    /// </summary>
    private async Task ApproveLateAsync(YearMonth month, int offset)
    {
        await using var database = _store.Open();
        var protector = TestApp.Protector();
        var guid = _store.Kind == Store.Postgres
            ? "gen_random_uuid()::text"
            : "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-a' || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))";
        var args = new
        {
            count = LateApprovals, offset, idEnc = protector.Encrypt("460200198503150011"), nameEnc = protector.Encrypt("补发"),
            accountEnc = protector.Encrypt("6217000010000000002"), period = month.ToString(), now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            prefix = Domain.Payouts.PaymentReference.Prefix(month, Domain.Payouts.PaymentKind.Benefit, 1),
        };
        await database.InTransactionAsync(async (c, t) =>
        {
            await c.ExecuteAsync(
                """
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @count)
                INSERT INTO persons (person_key, id_number_enc, name_enc, mobile_enc, bank_account_enc, contact_hash, updated_at)
                SELECT 'late-' || (@offset + n.i), @idEnc, @nameEnc, @idEnc, @accountEnc, 'late', @now FROM n
                """, args, t);
            await c.ExecuteAsync(
                $"""
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @count)
                 INSERT INTO applications (id, case_number, service_item, channel, status, is_open, person_key, id_number_enc, name_enc,
                     mobile_enc, portal_id, insuring_city, assigned_office, entitlement_months, monthly_fen, start_month, end_month,
                     received_at, updated_at, version)
                 SELECT {guid}, 'LATE-' || (@offset + n.i), 'unemployment-benefit', 'online', 'approved', 1, 'late-' || (@offset + n.i), @idEnc,
                     @nameEnc, @idEnc, 'demo-portal', '460200', NULL, 1, 183000, @period, @period, @now, @now, 3
                 FROM n
                 """, args, t);
            await c.ExecuteAsync(
                """
                INSERT INTO payments (id, application_id, city_code, period, kind, attempt, reissue_of, amount_fen, medical_fen,
                                      deducted_fen, status, run_id, return_reason, flagged, held, created_at, updated_at)
                SELECT @prefix || replace(a.id, '-', ''), a.id, '460200', @period, 'benefit', 1, NULL, 183000, 26200, 0, 'scheduled',
                       NULL, NULL, FALSE, FALSE, @now, @now
                FROM applications a WHERE a.case_number LIKE 'LATE-%' AND a.start_month = @period
                ON CONFLICT (id) DO NOTHING
                """, args, t);
        });
    }

    /// <summary>Committed steps of all runs: each chunk, each stage, each bank file recorded.</summary>
    private Task<long> ProgressAsync() => CountAsync(
        """
        SELECT (SELECT COALESCE(SUM(chunks), 0) FROM payout_runs)
             + (SELECT COUNT(*) FROM payout_runs WHERE status = 'completed')
             + (SELECT COUNT(*) FROM payout_files) + (SELECT COUNT(*) FROM payout_files WHERE archived)
        """);

    private Task<long> CompletedAsync() => CountAsync("SELECT COUNT(*) FROM payout_runs WHERE status = 'completed'");

    private Task<long> RunsAsync() => CountAsync("SELECT COUNT(*) FROM payout_runs");


    private async Task<long> CountAsync(string sql)
    {
        await using var database = _store.Open();
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long?>(sql) ?? 0;
    }
}

public sealed class PayoutCrashOnSqlite() : PayoutCrashSpec(Store.Sqlite, Backend.InMemory);

public sealed class PayoutCrashOnPostgres() : PayoutCrashSpec(Store.Postgres, Backend.InMemory);

public sealed class PayoutCrashOnSqliteAndAzureStorage() : PayoutCrashSpec(Store.Sqlite, Backend.AzureStorage);

public sealed class PayoutCrashOnPostgresAndAzureStorage() : PayoutCrashSpec(Store.Postgres, Backend.AzureStorage);
