using System.Data.Common;
using Dapper;
using Tongban.Domain;
using Tongban.Domain.Claims;
using Tongban.Domain.Payouts;
using Tongban.Domain.Province;
using Tongban.Notifications;
using Tongban.Storage;

namespace Tongban.Payouts;

/// <summary>How a run is cut into transactions: applications per chunk (Payouts:ChunkSize).</summary>
public sealed record PayoutOptions(int ChunkSize);

public static class RunStatus
{
    public const string Requested = "requested";
    public const string Paying = "paying";
    public const string Issuing = "issuing";
    public const string Completed = "completed";
}

public sealed class RunRow
{
    public string Id { get; init; } = "";
    public string Period { get; init; } = "";
    public string Status { get; init; } = "";
    public string? Cursor { get; init; }
    public long Chunks { get; init; }
    public string RequestedBy { get; init; } = "";
    public long CreatedAt { get; init; }
    public long? StartedAt { get; init; }
    public long? CompletedAt { get; init; }
}

/// <summary>A run as a step left it: its status (<see cref="RunStatus"/>) tells the orchestration which step comes next.</summary>
public sealed record PayoutRunSnapshot(string RunId, string Period, string Status, long Chunks)
{
    public static PayoutRunSnapshot Of(RunRow run) => new(run.Id, run.Period, run.Status, run.Chunks);
}

/// <summary>
/// The monthly payout run (按月发放): one per month, started by the MonthlyPayout timer from the 1st (China time, the
/// previous month caught up), by an administrator or by the <c>payout-run</c> command, and driven by its orchestration
/// (<see cref="PayoutRunOrchestrator"/>). Each step below is one transaction that first locks the run's row and reads
/// its status and cursor, so a step repeated after a crash, or run at the same moment by a second orchestration of
/// the same run (another instance with its own task hub, or the command beside the service), changes nothing twice:
/// <list type="number">
/// <item>rates: the insuring cities' standards in force for the month and the medical-insurance contribution;</item>
/// <item>paying: one <c>INSERT … SELECT</c> per chunk of applications after the run's cursor, over every entitlement that
/// covers the month. The payment id (bank reference) is derived from month and application: a month already paid
/// (back pay of a late approval) is skipped, and the primary key refuses a second payment outright — should an
/// approval's back pay commit in the same instant, the chunk fails and its retry skips it. Rows go in in key order,
/// appended to the key's index rather than scattered over it. The last chunk adopts the outstanding payments (back
/// pay, reissues, death benefits);</item>
/// <item>issuing: per city, the ledger posting and the bank file (<see cref="PaymentFiles"/>);</item>
/// <item>completing, once every city's bank file is in the archive.</item>
/// </list>
/// </summary>
public sealed class PayoutRuns(Database database, ProvinceConfig province, PaymentFiles files, SmsDelivery sms,
    PayoutOptions options, TimeProvider clock)
{
    /// <summary>SMS per delivery step: a run's return file can queue a message per payment.</summary>
    public const int SmsBatch = 1000;

    /// <summary>
    /// A month is asked for (timer, administrator, command): its run is created, or the existing one found — one per
    /// month, whoever asks and however often. The caller starts the run's orchestration unless it has completed.
    /// </summary>
    public Task<(string RunId, string Status, bool Created)> RequestAsync(YearMonth period, string actor, CancellationToken ct) =>
        database.InTransactionAsync(async (c, t) =>
        {
            await PayoutLocks.NewRunAsync(database, c, t);
            var existing = await c.QuerySingleOrDefaultAsync<RunRow>(
                "SELECT * FROM payout_runs WHERE period = @period", new { period = period.ToString() }, t);
            if (existing is not null) return (existing.Id, existing.Status, false);
            var id = Guid.NewGuid().ToString();
            await c.ExecuteAsync(
                """
                INSERT INTO payout_runs (id, period, status, cursor, chunks, requested_by, created_at)
                VALUES (@id, @period, 'requested', NULL, 0, @actor, @now)
                """, new { id, period = period.ToString(), actor, now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, t);
            return (id, RunStatus.Requested, true);
        }, ct);

    public static Task<RunRow?> FindAsync(DbConnection c, string runId) =>
        c.QuerySingleOrDefaultAsync<RunRow>("SELECT * FROM payout_runs WHERE id = @runId", new { runId });

    /// <summary>
    /// The run's row, locked until the transaction ends (PostgreSQL; SQLite has one writer at a time): the steps of two
    /// orchestrations of the same run take turns and each sees what the other committed.
    /// </summary>
    /// <exception cref="InvalidOperationException">There is no such run.</exception>
    internal static async Task<RunRow> LockAsync(Database database, DbConnection c, DbTransaction t, string runId) =>
        await c.QuerySingleOrDefaultAsync<RunRow>(
            database.Provider == DatabaseProvider.Postgres
                ? "SELECT * FROM payout_runs WHERE id = @runId FOR UPDATE"
                : "SELECT * FROM payout_runs WHERE id = @runId", new { runId }, t)
        ?? throw new InvalidOperationException($"Payout run {runId} does not exist.");

    /// <summary>
    /// Step 1: fixes the run's rates per city. A run past this step is left as it is.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// A city has no benefit standard for the month while someone there is to be paid: the province configuration needs
    /// fixing, after which the run is started again.
    /// </exception>
    public Task<PayoutRunSnapshot> FixRatesAsync(string runId, CancellationToken ct) => database.InTransactionAsync(async (c, t) =>
    {
        var run = await LockAsync(database, c, t, runId);
        if (run.Status != RunStatus.Requested) return PayoutRunSnapshot.Of(run);
        var period = YearMonth.Parse(run.Period);

        var rates = province.Cities.Select(city => (city.Code, Amounts: PaymentAmounts.For(city, province.Payouts, period))).ToList();
        // Verification only admits insuring cities of the province, so a city without a rate is the one gap to look for.
        foreach (var (city, _) in rates.Where(r => r.Amounts is null))
        {
            if (await c.ExecuteScalarAsync<long>(
                    $"SELECT COUNT(*) FROM (SELECT 1 FROM applications a WHERE a.insuring_city = @city AND {PayableSql("a")} LIMIT 1) x",
                    new { city, period = run.Period }, t) > 0)
                throw new InvalidOperationException(
                    $"City {city} has no benefit standard in force for {period} but has entitlements to pay: fix the province configuration.");
        }
        await c.ExecuteAsync(
            """
            INSERT INTO payout_run_cities (run_id, city_code, benefit_fen, medical_fen) VALUES (@runId, @city, @benefit, @medical)
            ON CONFLICT (run_id, city_code) DO NOTHING
            """,
            rates.Where(r => r.Amounts is not null)
                .Select(r => new { runId, city = r.Code, benefit = r.Amounts!.BenefitFen, medical = r.Amounts.MedicalFen }), t);
        await c.ExecuteAsync("UPDATE payout_runs SET status = 'paying', cursor = '', started_at = @now WHERE id = @runId",
            new { runId, now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, t);
        return PayoutRunSnapshot.Of(await LockAsync(database, c, t, runId));
    }, ct);

    /// <summary>
    /// Step 2, repeated while the run is <c>paying</c>: the next chunk of applications after the cursor; the last one also
    /// adopts the outstanding payments and moves the run on to issuing. A run not paying is left as it is.
    /// </summary>
    public Task<PayoutRunSnapshot> PayChunkAsync(string runId, CancellationToken ct) => database.InTransactionAsync(async (c, t) =>
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await PayoutLocks.PayingAsync(database, c, t);
        var run = await LockAsync(database, c, t, runId);
        if (run.Status != RunStatus.Paying) return PayoutRunSnapshot.Of(run);
        var period = YearMonth.Parse(run.Period);

        var after = run.Cursor ?? "";
        var upto = await c.QuerySingleOrDefaultAsync<string>(
            "SELECT id FROM applications WHERE id > @after ORDER BY id LIMIT 1 OFFSET @skip",
            new { after, skip = (long)options.ChunkSize - 1 }, t);
        var args = new
        {
            runId, period = run.Period, after, upto, now,
            prefix = PaymentReference.Prefix(period, PaymentKind.Benefit, 1),
        };
        await c.ExecuteAsync(
            $"""
             INSERT INTO payments (id, application_id, city_code, period, kind, attempt, reissue_of, amount_fen, medical_fen,
                                   deducted_fen, status, run_id, return_reason, flagged, held, created_at, updated_at)
             SELECT @prefix || replace(a.id, '-', ''), a.id, a.insuring_city, @period, 'benefit', 1, NULL, r.benefit_fen, r.medical_fen,
                    0, 'scheduled', @runId, NULL, FALSE, FALSE, @now, @now
             FROM applications a JOIN payout_run_cities r ON r.run_id = @runId AND r.city_code = a.insuring_city
             WHERE a.id > @after {(upto is null ? "" : "AND a.id <= @upto")} AND {PayableSql("a")}
               AND NOT EXISTS (SELECT 1 FROM payments x WHERE x.id = @prefix || replace(a.id, '-', ''))
             ORDER BY a.id
             """, args, t);
        if (upto is not null)
        {
            await c.ExecuteAsync("UPDATE payout_runs SET cursor = @upto, chunks = chunks + 1 WHERE id = @runId", args, t);
        }
        else
        {
            // Back pay of late approvals, reissues of returned payments and death benefits wait for the next run.
            await c.ExecuteAsync(
                "UPDATE payments SET run_id = @runId, updated_at = @now WHERE run_id IS NULL AND status = 'scheduled' AND period <= @period",
                args, t);
            await c.ExecuteAsync("UPDATE payout_runs SET status = 'issuing', cursor = NULL, chunks = chunks + 1 WHERE id = @runId", args, t);
        }
        return PayoutRunSnapshot.Of(await LockAsync(database, c, t, runId));
    }, ct);

    /// <summary>The cities the run pays, each of which gets a bank file; fixed once the run is issuing.</summary>
    public async Task<string[]> CitiesAsync(string runId, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        return (await c.QueryAsync<string>("SELECT DISTINCT city_code FROM payments WHERE run_id = @runId ORDER BY city_code",
            new { runId })).ToArray();
    }

    /// <summary>Step 4: the run is completed once every city it pays has its bank file in the archive.</summary>
    /// <exception cref="InvalidOperationException">The run is not issuing yet, or a city's bank file is not written yet.</exception>
    public Task<PayoutRunSnapshot> CompleteAsync(string runId, CancellationToken ct) => database.InTransactionAsync(async (c, t) =>
    {
        var run = await LockAsync(database, c, t, runId);
        if (run.Status == RunStatus.Completed) return PayoutRunSnapshot.Of(run);
        if (run.Status != RunStatus.Issuing)
            throw new InvalidOperationException($"Payout run {runId} is {run.Status}: it completes once its bank files are written.");
        var unwritten = (await c.QueryAsync<string>(
            """
            SELECT p.city_code FROM (SELECT DISTINCT city_code FROM payments WHERE run_id = @runId) p
            LEFT JOIN payout_files f ON f.run_id = @runId AND f.city_code = p.city_code
            WHERE f.run_id IS NULL OR NOT f.archived
            """, new { runId }, t)).ToList();
        if (unwritten.Count > 0)
            throw new InvalidOperationException($"Payout run {runId} has no bank file in the archive yet for {string.Join(", ", unwritten)}.");
        await c.ExecuteAsync("UPDATE payout_runs SET status = 'completed', completed_at = @now WHERE id = @runId",
            new { runId, now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, t);
        return PayoutRunSnapshot.Of(await LockAsync(database, c, t, runId));
    }, ct);

    /// <summary>
    /// The run's steps in order, in this process and without Durable (the <c>payout-run</c> command): the same steps
    /// its orchestration calls as activities, so the two may work the same run at once.
    /// </summary>
    /// <exception cref="InvalidOperationException">A step refused (see the steps); the run stays where it was.</exception>
    public async Task<PayoutRunSnapshot> RunStepsAsync(string runId, CancellationToken ct)
    {
        var run = await FixRatesAsync(runId, ct);
        while (run.Status == RunStatus.Paying) run = await PayChunkAsync(runId, ct);
        if (run.Status == RunStatus.Issuing)
        {
            await Task.WhenAll((await CitiesAsync(runId, ct)).Select(city => files.IssueAsync(runId, city, ct)));
            run = await CompleteAsync(runId, ct);
        }
        for (long? after = 0; after is { } from;) after = await sms.DeliverForRunAsync(runId, from, SmsBatch, ct);
        return run;
    }

    /// <summary>
    /// Entitlements that pay the month @period: approved, or stopped on a date whose partial-month rule still pays
    /// it (the stop month itself under stop-month-paid). Suspended ones wait. The same rule as
    /// <see cref="Domain.Entitlements.Entitlement.Pays"/>, as SQL.
    /// </summary>
    private string PayableSql(string a) =>
        $"""
         {a}.service_item = '{ServiceItems.UnemploymentBenefit}' AND {a}.status IN ('approved', 'terminated')
         AND {a}.start_month <= @period AND {a}.end_month >= @period
         AND ({a}.stopped_on IS NULL OR substr({a}.stopped_on, 1, 7) {(province.Payouts.PartialMonth == PartialMonthRule.StopMonthPaid ? ">=" : ">")} @period)
         """;
}
