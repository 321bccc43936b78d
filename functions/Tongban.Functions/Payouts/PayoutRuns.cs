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

/// <summary>What a run pays: its month's own payments, or what became due after that had completed.</summary>
public static class RunKind
{
    /// <summary>按月发放: every entitlement that pays the month, plus everything outstanding up to it. Sequence 0.</summary>
    public const string Monthly = "monthly";

    /// <summary>补发: after the month's runs have completed, the outstanding payments up to the month. Sequence 1, 2, ….</summary>
    public const string Supplementary = "supplementary";
}

public sealed class RunRow
{
    public string Id { get; init; } = "";
    public string Period { get; init; } = "";
    public string Kind { get; init; } = RunKind.Monthly;
    public long Sequence { get; init; }
    public string Status { get; init; } = "";
    public string? Cursor { get; init; }
    public long Chunks { get; init; }
    public string RequestedBy { get; init; } = "";
    public long CreatedAt { get; init; }
    public long? StartedAt { get; init; }
    public long? CompletedAt { get; init; }
    /// <summary>Payments of the run (in its bank files or held back), kept when it completes; null before.</summary>
    public long? Payments { get; init; }
    /// <summary>Totals in fen kept when the run completes (see <see cref="PayoutRunView"/>); null before.</summary>
    public long? TotalFen { get; init; }
    public long? BenefitFen { get; init; }
    public long? MedicalFen { get; init; }
    public long? DeathFen { get; init; }
    public long? ReissuedFen { get; init; }
    public long? DeductedFen { get; init; }
}

/// <summary>A run as a step left it: its status (<see cref="RunStatus"/>) tells the orchestration which step comes next.</summary>
public sealed record PayoutRunSnapshot(string RunId, string Period, string Status, long Chunks)
{
    public static PayoutRunSnapshot Of(RunRow run) => new(run.Id, run.Period, run.Status, run.Chunks);
}

/// <summary>What asking for a month gave: the run to drive (or show), its kind and status, and whether the request created it.</summary>
public sealed record RunRequest(string RunId, string Period, string Kind, long Sequence, string Status, bool Created);

/// <summary>
/// The payout runs: a month's own run (按月发放), started by the MonthlyPayout timer from the 1st (China time, the
/// previous month caught up), by an administrator or by the <c>payout-run</c> command; and, once the month's runs have
/// completed, supplementary runs (补发) that pay what became due since — started every working day by the
/// SupplementaryPayout timer or at once by an administrator. Each is driven by its orchestration
/// (<see cref="PayoutRunOrchestrator"/>). Each step below is one transaction that first locks the run's row and reads
/// its status and cursor, so a step repeated after a crash, or run at the same moment by a second orchestration of
/// the same run (another instance with its own task hub, or the command beside the service), changes nothing twice:
/// <list type="number">
/// <item>rates (monthly runs): the insuring cities' standards in force for the month and the medical-insurance contribution;</item>
/// <item>paying: for a monthly run, one <c>INSERT … SELECT</c> per chunk of applications after the run's cursor, over every
/// entitlement that covers the month. The payment id (bank reference) is derived from month and application: a month
/// already paid (back pay of a late approval, paid by a supplementary run) is skipped, and the primary key refuses a
/// second payment outright, whichever run pays it. Rows go in in key order, appended to the key's index rather than
/// scattered over it. The last chunk — a supplementary run's only one — adopts the outstanding payments up to the
/// month (back pay, reissues, death benefits);</item>
/// <item>issuing: per city, the ledger posting and the bank file (<see cref="PaymentFiles"/>);</item>
/// <item>completing, once every city's bank file is in the archive; the run keeps its totals.</item>
/// </list>
/// </summary>
public sealed class PayoutRuns(Database database, ProvinceConfig province, PaymentFiles files, SmsDelivery sms,
    PayoutOptions options, TimeProvider clock)
{
    /// <summary>SMS per delivery step: a run's return file can queue a message per payment.</summary>
    public const int SmsBatch = 1000;

    /// <summary>
    /// A month is asked for (the timers, an administrator, the command). Without a run it gets its monthly run; while one
    /// of its runs has not completed, that run is the answer; once all have completed, a supplementary run is created when
    /// anything up to the month is outstanding (<see cref="IsDueSql"/>), and otherwise the latest run is the answer.
    /// One transaction under the new-run lock, and the unique (period, kind, sequence), make this happen once however
    /// many instances ask at the same moment. The caller starts the run's orchestration unless it has completed.
    /// </summary>
    /// <param name="supplementaryOnly">
    /// The SupplementaryPayout timer: a month without a run is left to the MonthlyPayout timer (null is returned).
    /// </param>
    public Task<RunRequest?> RequestAsync(YearMonth period, string actor, CancellationToken ct, bool supplementaryOnly = false) =>
        database.InTransactionAsync(async (c, t) =>
        {
            await PayoutLocks.NewRunAsync(database, c, t);
            var month = period.ToString();
            var runs = (await c.QueryAsync<RunRow>(
                "SELECT * FROM payout_runs WHERE period = @month ORDER BY sequence DESC", new { month }, t)).ToList();
            if (runs.Count == 0 && supplementaryOnly) return null;
            if (runs.FirstOrDefault(r => r.Status != RunStatus.Completed) is { } open) return Request(open, false);
            if (runs.Count > 0 && !await c.ExecuteScalarAsync<bool>($"SELECT CASE WHEN {IsDueSql} THEN TRUE ELSE FALSE END", new { period = month }, t))
                return Request(runs[0], false);
            var run = new RunRow
            {
                Id = Guid.NewGuid().ToString(), Period = month, Kind = runs.Count == 0 ? RunKind.Monthly : RunKind.Supplementary,
                Sequence = runs.Count == 0 ? 0 : runs[0].Sequence + 1, Status = RunStatus.Requested, RequestedBy = actor,
                CreatedAt = clock.GetUtcNow().ToUnixTimeMilliseconds(),
            };
            await c.ExecuteAsync(
                """
                INSERT INTO payout_runs (id, period, kind, sequence, status, cursor, chunks, requested_by, created_at)
                VALUES (@Id, @Period, @Kind, @Sequence, 'requested', NULL, 0, @RequestedBy, @CreatedAt)
                """, run, t);
            return Request(run, true);
        }, ct);

    private static RunRequest Request(RunRow run, bool created) => new(run.Id, run.Period, run.Kind, run.Sequence, run.Status, created);

    /// <summary>
    /// Something up to the month @period is outstanding: a payment no run has taken yet (back pay of an approval, a
    /// reissue, a death benefit, one staff released), nor will: no run of its month or later is still to adopt what is
    /// outstanding (it does so as its paying step ends), else a second run would start, find it taken and pay nothing.
    /// A supplementary run pays exactly these.
    /// </summary>
    public const string IsDueSql =
        $"""
         EXISTS (SELECT 1 FROM payments WHERE run_id IS NULL AND status = 'scheduled' AND period <= @period AND {NotHeldSql}
                   AND NOT EXISTS (SELECT 1 FROM payout_runs adopting WHERE adopting.status IN ('{RunStatus.Requested}', '{RunStatus.Paying}')
                                     AND adopting.period >= payments.period))
         """;

    /// <summary>
    /// The payment (<c>payments</c>) is not of a month a cross-check match holds: its claim is not suspended from that
    /// month or earlier (<c>suspended_from</c>). A held outstanding payment waits for the decision.
    /// </summary>
    public const string NotHeldSql =
        "NOT EXISTS (SELECT 1 FROM applications h WHERE h.id = payments.application_id AND h.status = 'suspended' AND payments.period >= h.suspended_from)";

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
        // A supplementary run pays outstanding payments, whose amounts were fixed when they became due.
        if (run.Kind == RunKind.Supplementary) return await StartPayingAsync(c, t, runId);

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
        return await StartPayingAsync(c, t, runId);
    }, ct);

    private async Task<PayoutRunSnapshot> StartPayingAsync(DbConnection c, DbTransaction t, string runId)
    {
        await c.ExecuteAsync("UPDATE payout_runs SET status = 'paying', cursor = '', started_at = @now WHERE id = @runId",
            new { runId, now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, t);
        return PayoutRunSnapshot.Of(await LockAsync(database, c, t, runId));
    }

    /// <summary>
    /// Step 2, repeated while the run is <c>paying</c>: the next chunk of applications after the cursor; the last one also
    /// adopts the outstanding payments and moves the run on to issuing. A supplementary run has no chunk of its own: it
    /// adopts at once. A run not paying is left as it is.
    /// </summary>
    public Task<PayoutRunSnapshot> PayChunkAsync(string runId, CancellationToken ct) => database.InTransactionAsync(async (c, t) =>
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await PayoutLocks.PayingAsync(database, c, t);
        var run = await LockAsync(database, c, t, runId);
        if (run.Status != RunStatus.Paying) return PayoutRunSnapshot.Of(run);
        var period = YearMonth.Parse(run.Period);

        var after = run.Cursor ?? "";
        var upto = run.Kind == RunKind.Supplementary ? null : await c.QuerySingleOrDefaultAsync<string>(
            "SELECT id FROM applications WHERE id > @after ORDER BY id LIMIT 1 OFFSET @skip",
            new { after, skip = (long)options.ChunkSize - 1 }, t);
        var args = new
        {
            runId, period = run.Period, after, upto, now,
            prefix = PaymentReference.Prefix(period, PaymentKind.Benefit, 1),
        };
        // The chunk reads the applications it pays from ix_applications_payable alone, in id order (migration 0013). SQLite
        // is told so: without statistics (nothing runs ANALYZE on a service's database) its planner would take the status
        // index and read every approved application for each chunk.
        if (run.Kind == RunKind.Monthly) await c.ExecuteAsync(
            $"""
             INSERT INTO payments (id, application_id, city_code, period, kind, attempt, reissue_of, amount_fen, medical_fen,
                                   deducted_fen, status, run_id, return_reason, flagged, held, created_at, updated_at)
             SELECT @prefix || replace(a.id, '-', ''), a.id, a.insuring_city, @period, 'benefit', 1, NULL, r.benefit_fen, r.medical_fen,
                    0, 'scheduled', @runId, NULL, FALSE, FALSE, @now, @now
             FROM applications a {(database.Provider == DatabaseProvider.Sqlite ? "INDEXED BY ix_applications_payable" : "")}
             JOIN payout_run_cities r ON r.run_id = @runId AND r.city_code = a.insuring_city
             WHERE a.id > @after {(upto is null ? "" : "AND a.id <= @upto")} AND {PayableSql("a")}
             ORDER BY a.id
             ON CONFLICT (id) DO NOTHING
             """, args, t);
        if (upto is not null)
        {
            await c.ExecuteAsync("UPDATE payout_runs SET cursor = @upto, chunks = chunks + 1 WHERE id = @runId", args, t);
        }
        else
        {
            // Back pay of late approvals, reissues of returned payments and death benefits wait for the next run. A run
            // adopting them at the same moment waits for this row lock, then finds them taken.
            await c.ExecuteAsync(
                $"UPDATE payments SET run_id = @runId, updated_at = @now WHERE run_id IS NULL AND status = 'scheduled' AND period <= @period AND {NotHeldSql}",
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
        // The run's totals, from its bank files' (a few rows, not its payments), kept for every later reading.
        await c.ExecuteAsync(
            """
            UPDATE payout_runs SET status = 'completed', completed_at = @now,
                payments = (SELECT COALESCE(SUM(payments + held), 0) FROM payout_files WHERE run_id = @runId),
                total_fen = (SELECT COALESCE(SUM(amount_fen + held_fen), 0) FROM payout_files WHERE run_id = @runId),
                benefit_fen = (SELECT COALESCE(SUM(benefit_fen), 0) FROM payout_files WHERE run_id = @runId),
                medical_fen = (SELECT COALESCE(SUM(medical_fen), 0) FROM payout_files WHERE run_id = @runId),
                death_fen = (SELECT COALESCE(SUM(death_fen), 0) FROM payout_files WHERE run_id = @runId),
                reissued_fen = (SELECT COALESCE(SUM(reissued_fen), 0) FROM payout_files WHERE run_id = @runId),
                deducted_fen = (SELECT COALESCE(SUM(deducted_fen), 0) FROM payout_files WHERE run_id = @runId)
            WHERE id = @runId
            """, new { runId, now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, t);
        return PayoutRunSnapshot.Of(await LockAsync(database, c, t, runId));
    }, ct);

    /// <summary>
    /// The run's steps in order, in this process and without Durable (the <c>payout-run</c> command): the same steps
    /// its orchestration calls as activities, so the two may work the same run at once. With no task hub to tell, the
    /// claims whose first payment a file holds are marked but not signalled: their orchestrations see it at their daily look.
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
    /// it (the stop month itself under stop-month-paid), or suspended by a cross-check match from a later month
    /// (<c>suspended_from</c>: the months before it are paid, none from it on, until a person decides). The same rule as
    /// <see cref="Domain.Entitlements.Entitlement.Pays"/>, as SQL.
    /// </summary>
    private string PayableSql(string a) =>
        $"""
         {a}.service_item = '{ServiceItems.UnemploymentBenefit}'
         AND ({a}.status IN ('approved', 'terminated') OR ({a}.status = 'suspended' AND {a}.suspended_from > @period))
         AND {a}.start_month <= @period AND {a}.end_month >= @period
         AND ({a}.stopped_on IS NULL OR substr({a}.stopped_on, 1, 7) {(province.Payouts.PartialMonth == PartialMonthRule.StopMonthPaid ? ">=" : ">")} @period)
         """;
}
