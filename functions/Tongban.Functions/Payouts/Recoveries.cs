using System.Data.Common;
using Dapper;
using Tongban.Domain.Ledger;
using Tongban.Domain.Payouts;
using Tongban.Ledger;

namespace Tongban.Payouts;

public static class RecoveryMethods
{
    /// <summary>From later benefit (the funeral grant and survivors' pension after a death, or a new claim's payments).</summary>
    public const string Deduction = "deduction";
    /// <summary>Repaid by the person in one sum.</summary>
    public const string Repayment = "repayment";
    /// <summary>Repaid in instalments, as agreed with the person.</summary>
    public const string Instalments = "instalments";
}

public sealed class RecoveryCaseRow
{
    public string Id { get; init; } = "";
    public string ApplicationId { get; init; } = "";
    public string PersonKey { get; init; } = "";
    public string CityCode { get; init; } = "";
    public string PaymentId { get; init; } = "";
    public string Period { get; init; } = "";
    public long AmountFen { get; init; }
    public long RecoveredFen { get; init; }
    public string Method { get; init; } = "";
    public long? Instalments { get; init; }
    public long? InstalmentFen { get; init; }
    public string Reason { get; init; } = "";
    public string Status { get; init; } = "";
    public long CreatedAt { get; init; }
    public long OutstandingFen => AmountFen - RecoveredFen;
}

/// <summary>
/// Recovery cases (经办条例 art. 46): one per overpaid payment; recovered by deduction from later payments to the
/// same person, by repayment (in instalments if agreed), or by the bank returning the money. Every amount
/// recovered is a row in <c>recoveries</c> and a ledger posting against the receivable.
/// </summary>
public static class Recoveries
{
    public static async Task OpenAsync(DbConnection c, DbTransaction t, string applicationId, string personKey, string cityCode,
        Overpayment overpayment, string method, string reason, DateTimeOffset now)
    {
        await c.ExecuteAsync(
            """
            INSERT INTO recovery_cases (id, application_id, person_key, city_code, payment_id, period, amount_fen, recovered_fen,
                                        method, instalments, instalment_fen, reason, status, created_at, updated_at)
            VALUES (@id, @applicationId, @personKey, @cityCode, @paymentId, @period, @amount, 0, @method, NULL, NULL, @reason, 'open', @now, @now)
            ON CONFLICT (payment_id) DO NOTHING
            """,
            new
            {
                id = Guid.NewGuid().ToString(), applicationId, personKey, cityCode, paymentId = overpayment.PaymentId,
                period = overpayment.Period.ToString(), amount = overpayment.AmountFen, method, reason, now = now.ToUnixTimeMilliseconds(),
            }, t);
    }

    /// <summary>
    /// Records an amount recovered once (its <paramref name="dedupeKey"/>), and closes the case when nothing is left.
    /// Returns false when that recovery was recorded before.
    /// </summary>
    public static async Task<bool> RecordAsync(DbConnection c, DbTransaction t, string caseId, string dedupeKey, string method, long fen,
        string? paymentId, string? reference, string actor, DateTimeOffset now)
    {
        var inserted = await c.ExecuteAsync(
            """
            INSERT INTO recoveries (case_id, dedupe_key, method, amount_fen, payment_id, reference, actor, at)
            VALUES (@caseId, @dedupeKey, @method, @fen, @paymentId, @reference, @actor, @now)
            ON CONFLICT (dedupe_key) DO NOTHING
            """, new { caseId, dedupeKey, method, fen, paymentId, reference, actor, now = now.ToUnixTimeMilliseconds() }, t);
        if (inserted == 0) return false;
        await c.ExecuteAsync(
            """
            UPDATE recovery_cases SET recovered_fen = recovered_fen + @fen,
                status = CASE WHEN recovered_fen + @fen >= amount_fen THEN 'recovered' ELSE 'open' END, updated_at = @now
            WHERE id = @caseId
            """, new { caseId, fen, now = now.ToUnixTimeMilliseconds() }, t);
        return true;
    }

    /// <summary>
    /// At issue: payments going into this bank file to people with open recovery cases of the same city give up the
    /// province's share to them (instalment plans agreed with the person are left alone). A city's fund recovers only
    /// its own overpayments (每个统筹地区基金分账核算): another city's case waits for that city's payments or a repayment.
    /// The cases are read under a row lock (PostgreSQL <c>FOR UPDATE</c>; SQLite runs this in its one write transaction),
    /// so a repayment recorded at the same moment (<see cref="RepayAsync"/>, which locks the case too) is either seen or
    /// waits: never both recovered in full. Few people owe anything, so this starts from the open cases, not from the file.
    /// </summary>
    public static async Task DeductAsync(DbConnection c, DbTransaction t, bool postgres, string runId, string city, PayoutRules rules,
        DateTimeOffset now)
    {
        if (rules.MaxDeductionPercent == 0) return;
        var args = new { runId, city };
        if (await c.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM (SELECT 1 FROM recovery_cases WHERE status = 'open' AND method <> 'instalments' AND city_code = @city LIMIT 1) x",
                args, t) == 0) return;
        var candidates = (await c.QueryAsync<(string PaymentId, long AmountFen, string PersonKey)>(
            """
            SELECT DISTINCT p.id, p.amount_fen, a.person_key
            FROM recovery_cases rc
            JOIN applications a ON a.person_key = rc.person_key
            JOIN payments p ON p.application_id = a.id
            WHERE rc.status = 'open' AND rc.method <> 'instalments' AND rc.city_code = @city
              AND p.run_id = @runId AND p.city_code = @city AND p.status = 'scheduled' AND p.attempt = 1 AND p.deducted_fen = 0
            ORDER BY p.id
            """, args, t)).ToList();
        if (candidates.Count == 0) return;
        var open = (await c.QueryAsync<RecoveryCaseRow>(
                $"""
                 SELECT rc.* FROM recovery_cases rc
                 WHERE rc.status = 'open' AND rc.method <> 'instalments' AND rc.city_code = @city
                   AND rc.person_key IN (SELECT a.person_key FROM payments p JOIN applications a ON a.id = p.application_id
                                         WHERE p.run_id = @runId AND p.city_code = @city AND p.status = 'scheduled' AND p.attempt = 1
                                           AND p.deducted_fen = 0)
                 ORDER BY rc.created_at, rc.id {(postgres ? "FOR UPDATE OF rc" : "")}
                 """, args, t))
            .GroupBy(r => r.PersonKey)
            .ToDictionary(g => g.Key, g => g.Select(r => new OpenRecovery(r.Id, r.OutstandingFen)).ToList());
        foreach (var payment in candidates)
        {
            if (!open.TryGetValue(payment.PersonKey, out var cases)) continue;
            var plan = Deductions.Plan(payment.AmountFen, rules, cases);
            foreach (var d in plan)
            {
                await RecordAsync(c, t, d.CaseId, $"deduction:{payment.PaymentId}:{d.CaseId}", RecoveryMethods.Deduction, d.Fen,
                    payment.PaymentId, null, Domain.Claims.ClaimWorkflow.SystemActor, now);
                var index = cases.FindIndex(x => x.CaseId == d.CaseId);
                cases[index] = cases[index] with { OutstandingFen = cases[index].OutstandingFen - d.Fen };
            }
            if (plan.Count > 0)
                await c.ExecuteAsync("UPDATE payments SET deducted_fen = @fen WHERE id = @id",
                    new { id = payment.PaymentId, fen = plan.Sum(d => d.Fen) }, t);
        }
    }

    /// <summary>
    /// Repayment in <paramref name="instalments"/> agreed with the person: what is outstanding now, split evenly and rounded
    /// up to the fen (the last instalment is the smaller). Deductions then leave the case alone; repayments are recorded as they come.
    /// </summary>
    public static async Task<RecoveryCaseRow?> AgreeInstalmentsAsync(DbConnection c, DbTransaction t, string caseId, int instalments, DateTimeOffset now)
    {
        var updated = await c.ExecuteAsync(
            """
            UPDATE recovery_cases SET method = 'instalments', instalments = @instalments,
                instalment_fen = (amount_fen - recovered_fen + @instalments - 1) / @instalments, updated_at = @now
            WHERE id = @caseId AND status = 'open'
            """, new { caseId, instalments = (long)instalments, now = now.ToUnixTimeMilliseconds() }, t);
        return updated == 1
            ? await c.QuerySingleAsync<RecoveryCaseRow>("SELECT * FROM recovery_cases WHERE id = @caseId", new { caseId }, t)
            : null;
    }

    /// <summary>A repayment the person made (receipt <paramref name="reference"/>): once per reference, never more than is owed.</summary>
    public static async Task<RepaymentOutcome> RepayAsync(DbConnection c, DbTransaction t, bool postgres, string caseId, long fen, string reference,
        string actor, DateTimeOffset now)
    {
        var row = await c.QuerySingleOrDefaultAsync<RecoveryCaseRow>(
            postgres ? "SELECT * FROM recovery_cases WHERE id = @caseId FOR UPDATE" : "SELECT * FROM recovery_cases WHERE id = @caseId",
            new { caseId }, t);
        if (row is null) return RepaymentOutcome.NotFound;
        var key = $"repayment:{caseId}:{reference}";
        if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM recoveries WHERE dedupe_key = @key", new { key }, t) > 0)
            return RepaymentOutcome.Duplicate;
        if (row.Status != "open" || fen > row.OutstandingFen) return RepaymentOutcome.TooMuch;
        await RecordAsync(c, t, caseId, key, row.Method == RecoveryMethods.Instalments ? RecoveryMethods.Instalments : RecoveryMethods.Repayment,
            fen, null, reference, actor, now);
        await LedgerStore.PostAsync(c, t, Postings.Repayment(key, row.CityCode, $"收回多发待遇（{row.Period}，收据{reference}）", fen), null, now);
        return RepaymentOutcome.Recorded;
    }
}

public enum RepaymentOutcome { Recorded, NotFound, Duplicate, TooMuch }
