using System.Data.Common;
using Dapper;
using Tongban.Domain;
using Tongban.Domain.Claims;
using Tongban.Domain.Payouts;
using Tongban.Domain.Province;
using Tongban.Scheduling;
using Tongban.Storage;
using Tongban.Work;

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

/// <summary>
/// The monthly payout run (按月发放): one per month, started by the MonthlyPayout schedule on the 1st (China time,
/// once across instances, the previous month caught up) or by an administrator. Every step is its own
/// transaction and can be repeated after a crash:
/// <list type="number">
/// <item>rates: the insuring cities' standards in force for the month and the medical-insurance contribution;</item>
/// <item>paying: one <c>INSERT … SELECT</c> per chunk of applications, over every entitlement that covers the
/// month. The payment id (bank reference) is derived from month and application: a month already paid (back pay
/// of a late approval) is skipped, and the primary key refuses a second payment outright — should an approval's
/// back pay commit in the same instant, the chunk fails and its retry skips it. Rows go in in key order, appended
/// to the key's index rather than scattered over it. Then outstanding payments (back pay, reissues, death benefits)
/// join the run;</item>
/// <item>issuing: per city, the bank file and its ledger posting (<see cref="PaymentFiles"/>).</item>
/// </list>
/// </summary>
public sealed class PayoutRuns(Database database, ProvinceConfig province, WorkItems items,
    PaymentFiles files, PayoutOptions options, TimeProvider clock) : IWorkHandler
{
    public const string JobName = "MonthlyPayout";
    public const string WorkKind = "payout-run";

    public static Schedule Schedule { get; } = new(JobName, WorkKind, Schedule.Monthly(1));

    public string Kind => WorkKind;

    /// <summary>
    /// An administrator asks for a month: the run is created (or the existing one found) and its work queued under
    /// the schedule's key, so the timer and the administrator can never start two. A run whose work was dead-lettered
    /// (a configuration gap, since fixed) is given a fresh set of attempts. The caller wakes the work pump.
    /// </summary>
    public Task<(string RunId, string Status, bool Created)> RequestAsync(YearMonth period, string actor, CancellationToken ct) =>
        database.InTransactionAsync(async (c, t) =>
        {
            var now = clock.GetUtcNow();
            var (run, created) = await EnsureRunAsync(c, t, period, actor, now);
            var key = Schedule.DedupeKey(period.ToString());
            await WorkItems.EnqueueAsync(c, t, WorkKind, period.ToString(), key, now, now);
            if (run.Status != RunStatus.Completed)
                await c.ExecuteAsync(
                    "UPDATE work_items SET status = 'pending', attempts = 0, due_at = @now, last_error = NULL WHERE dedupe_key = @key AND status = 'dead'",
                    new { key, now = now.ToUnixTimeMilliseconds() }, t);
            return (run.Id, run.Status, created);
        }, ct);

    public async Task HandleAsync(WorkItem item, CancellationToken ct)
    {
        var period = YearMonth.Parse(item.Payload);
        var run = await StartAsync(item, period, ct);
        while (run.Status == RunStatus.Paying) run = await PayChunkAsync(item, run, period, ct);
        if (run.Status == RunStatus.Issuing) await files.IssueAllAsync(item, run.Id, period, ct);
        await database.InTransactionAsync(async (c, t) =>
        {
            await c.ExecuteAsync(
                "UPDATE payout_runs SET status = 'completed', completed_at = COALESCE(completed_at, @now) WHERE id = @id",
                new { id = run.Id, now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, t);
            await items.CompleteAsync(c, t, item);
        }, ct);
    }

    public static Task<RunRow?> FindAsync(DbConnection c, string runId) =>
        c.QuerySingleOrDefaultAsync<RunRow>("SELECT * FROM payout_runs WHERE id = @runId", new { runId });

    private async Task<(RunRow Run, bool Created)> EnsureRunAsync(DbConnection c, DbTransaction t, YearMonth period, string actor, DateTimeOffset now)
    {
        await PayoutLocks.NewRunAsync(database, c, t);
        var existing = await c.QuerySingleOrDefaultAsync<RunRow>("SELECT * FROM payout_runs WHERE period = @period", new { period = period.ToString() }, t);
        if (existing is not null) return (existing, false);
        var id = Guid.NewGuid().ToString();
        await c.ExecuteAsync(
            """
            INSERT INTO payout_runs (id, period, status, cursor, chunks, requested_by, created_at)
            VALUES (@id, @period, 'requested', NULL, 0, @actor, @now)
            """, new { id, period = period.ToString(), actor, now = now.ToUnixTimeMilliseconds() }, t);
        return (await c.QuerySingleAsync<RunRow>("SELECT * FROM payout_runs WHERE id = @id", new { id }, t), true);
    }

    /// <summary>Fixes the run's rates per city; refuses a month some city has no standard for while someone there is to be paid.</summary>
    private Task<RunRow> StartAsync(WorkItem item, YearMonth period, CancellationToken ct) => database.InTransactionAsync(async (c, t) =>
    {
        var now = clock.GetUtcNow();
        await PayoutLocks.RenewLeaseAsync(c, t, item, items, clock);
        var (run, _) = await EnsureRunAsync(c, t, period, ClaimWorkflow.SystemActor, now);
        if (run.Status != RunStatus.Requested) return run;

        var rates = province.Cities.Select(city => (city.Code, Amounts: PaymentAmounts.For(city, province.Payouts, period))).ToList();
        // Verification only admits insuring cities of the province, so a city without a rate is the one gap to look for.
        foreach (var (city, _) in rates.Where(r => r.Amounts is null))
        {
            if (await c.ExecuteScalarAsync<long>(
                    $"SELECT COUNT(*) FROM (SELECT 1 FROM applications a WHERE a.insuring_city = @city AND {PayableSql("a")} LIMIT 1) x",
                    new { city, period = period.ToString() }, t) > 0)
                throw new InvalidOperationException(
                    $"City {city} has no benefit standard in force for {period} but has entitlements to pay: fix the province configuration.");
        }
        await c.ExecuteAsync(
            """
            INSERT INTO payout_run_cities (run_id, city_code, benefit_fen, medical_fen) VALUES (@runId, @city, @benefit, @medical)
            ON CONFLICT (run_id, city_code) DO NOTHING
            """,
            rates.Where(r => r.Amounts is not null)
                .Select(r => new { runId = run.Id, city = r.Code, benefit = r.Amounts!.BenefitFen, medical = r.Amounts.MedicalFen }), t);
        await c.ExecuteAsync("UPDATE payout_runs SET status = 'paying', cursor = '', started_at = @now WHERE id = @id",
            new { id = run.Id, now = now.ToUnixTimeMilliseconds() }, t);
        return await c.QuerySingleAsync<RunRow>("SELECT * FROM payout_runs WHERE id = @id", new { id = run.Id }, t);
    }, ct);

    private Task<RunRow> PayChunkAsync(WorkItem item, RunRow run, YearMonth period, CancellationToken ct) => database.InTransactionAsync(async (c, t) =>
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await PayoutLocks.RenewLeaseAsync(c, t, item, items, clock);
        await PayoutLocks.PayingAsync(database, c, t);
        var current = await c.QuerySingleAsync<RunRow>(
            database.Provider == DatabaseProvider.Postgres
                ? "SELECT * FROM payout_runs WHERE id = @id FOR UPDATE"
                : "SELECT * FROM payout_runs WHERE id = @id", new { id = run.Id }, t);
        if (current.Status != RunStatus.Paying) return current;

        var after = current.Cursor ?? "";
        var upto = await c.QuerySingleOrDefaultAsync<string>(
            "SELECT id FROM applications WHERE id > @after ORDER BY id LIMIT 1 OFFSET @skip",
            new { after, skip = (long)options.ChunkSize - 1 }, t);
        var args = new
        {
            runId = run.Id, period = period.ToString(), after, upto, now,
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
        return await c.QuerySingleAsync<RunRow>("SELECT * FROM payout_runs WHERE id = @runId", args, t);
    }, ct);

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
