using System.Data.Common;
using Dapper;
using Tongban.Domain;
using Tongban.Domain.Claims;
using Tongban.Domain.Ledger;
using Tongban.Domain.Notifications;
using Tongban.Domain.Payouts;
using Tongban.Domain.Province;
using Tongban.Ledger;
using Tongban.Storage;

namespace Tongban.Payouts;

/// <summary>
/// What a claim's own decisions do to its payments, inside the decision's transaction: an approval that comes after
/// the run of a month it covers gets that month as back pay (补发); a stop event settles the payments of the months
/// it excludes and, after a death, opens the family's benefits.
/// </summary>
public sealed class ClaimPayouts(Database database, ProvinceConfig province)
{
    /// <summary>
    /// Months of a new entitlement whose run has already happened (the claim was filed in one month and approved in
    /// a later one, or after the 1st) become outstanding payments, paid by the next run. Later months are paid by
    /// their own runs.
    /// </summary>
    public async Task BackPayAsync(DbConnection c, DbTransaction t, Claim approved, DateTimeOffset now)
    {
        if (approved.Entitlement is not { } entitlement) return;
        await PayoutLocks.ApprovalAsync(database, c, t);
        var latestRun = await c.QuerySingleOrDefaultAsync<string>("SELECT MAX(period) FROM payout_runs", transaction: t);
        if (latestRun is null) return;
        var city = province.FindCity(approved.InsuringCity ?? "")
                   ?? throw new InvalidOperationException($"Insuring city {approved.InsuringCity} is not in the province.");
        var rows = new List<object>();
        for (var month = entitlement.StartMonth; month <= entitlement.EndMonth && month <= YearMonth.Parse(latestRun); month = month.AddMonths(1))
        {
            var amounts = PaymentAmounts.For(city, province.Payouts, month)
                          ?? throw new InvalidOperationException($"City {city.Code} has no benefit standard for {month}.");
            rows.Add(Outstanding(approved, city.Code, month, PaymentKind.Benefit, amounts.BenefitFen, amounts.MedicalFen, now));
        }
        await InsertOutstandingAsync(c, t, rows);
    }

    /// <summary>The funeral grant and survivors' pension for a death on <paramref name="died"/> (province rules, insuring city's standard).</summary>
    public DeathBenefits DeathBenefitsFor(Claim claim, DateOnly died, int dependants)
    {
        var city = province.FindCity(claim.InsuringCity ?? "")
                   ?? throw new InvalidOperationException($"Insuring city {claim.InsuringCity} is not in the province.");
        return PaymentAmounts.ForDeath(city, province.Payouts, died, dependants);
    }

    /// <summary>
    /// After the stop transition of <paramref name="stopped"/>: cancels what never left, turns what was paid for
    /// excluded months into overpayments with recovery cases (and an SMS), corrects the ledger, and after a death
    /// schedules the family's benefits and the unpaid month of death.
    /// </summary>
    public async Task SettleStopAsync(DbConnection c, DbTransaction t, Claim stopped, string eventType, DateOnly date, DeathBenefits? death,
        DateTimeOffset now)
    {
        if (stopped.Entitlement is not { } entitlement) return;
        var id = stopped.Id.ToString();
        var city = stopped.InsuringCity!;
        var died = eventType == StopEvents.Died;
        // No run step is in flight while this settles (see PayoutLocks), and the rows are locked against a return file.
        await PayoutLocks.SettlingAsync(database, c, t);
        var payments = (await c.QueryAsync<PaymentRow>(
            $"""
             SELECT p.id, p.kind, p.period, p.attempt, p.status, p.amount_fen, p.medical_fen, p.deducted_fen, p.reissue_of,
                    CASE WHEN f.run_id IS NULL THEN FALSE ELSE TRUE END AS issued
             FROM payments p LEFT JOIN payout_files f ON f.run_id = p.run_id AND f.city_code = p.city_code
             WHERE p.application_id = @id ORDER BY p.id {(database.Provider == DatabaseProvider.Postgres ? "FOR UPDATE OF p" : "")}
             """, new { id }, t))
            .Select(p => new PaymentRecord(p.Id, PaymentCodes.ParseKind(p.Kind), YearMonth.Parse(p.Period), (int)p.Attempt,
                p.Status == "scheduled" && p.Issued ? PaymentStatus.Sent : PaymentCodes.ParseStatus(p.Status),
                p.AmountFen, p.MedicalFen, p.DeductedFen, p.ReissueOf))
            .ToList();
        var settlement = StopSettlement.Decide(entitlement, date, died, province.Payouts.PartialMonth, payments);
        var at = now.ToUnixTimeMilliseconds();

        await c.ExecuteAsync("UPDATE payments SET status = 'cancelled', updated_at = @at WHERE id = @id",
            settlement.Cancelled.Select(id => new { id, at }), t);
        await c.ExecuteAsync("UPDATE payments SET flagged = FALSE, return_reason = return_reason || '（停发，不再重发）', updated_at = @at WHERE id = @id",
            settlement.Released.Select(id => new { id, at }), t);
        await c.ExecuteAsync("UPDATE payments SET status = 'overpaid', updated_at = @at WHERE id = @id",
            settlement.Overpaid.Select(id => new { id, at }), t);

        var reason = StopEvents.Descriptions[eventType];
        if (settlement.Recoveries.Count > 0)
        {
            var personKey = await c.QuerySingleAsync<string>("SELECT person_key FROM applications WHERE id = @id", new { id }, t);
            // After a death the family's benefits are the later benefit to deduct from; otherwise the person repays.
            var method = died ? RecoveryMethods.Deduction : RecoveryMethods.Repayment;
            foreach (var overpayment in settlement.Recoveries)
                await Recoveries.OpenAsync(c, t, id, personKey, city, overpayment, method, reason, now);
            await PaymentNotifications.AddAsync(c, t, settlement.Recoveries.Select(o =>
                new PaymentSms(id, $"overpaid:{o.PaymentId}", SmsMessage.Overpaid(o.Period, o.AmountFen, reason))).ToList(), now);
        }
        if (settlement.ChangesLedger)
        {
            await LedgerStore.PostAsync(c, t, Postings.StopCorrection($"stop:{id}:{stopped.Version}", city,
                $"停发更正（{reason}，{date:yyyy-MM-dd}，受理编号{stopped.CaseNumber}）",
                settlement.OverpaidFen, settlement.VoidedReturnedNetFen, settlement.VoidedDeductedFen, settlement.MedicalReversedFen), null, now);
        }

        if (!died) return;
        var deathMonth = YearMonth.Of(date);
        var rows = new List<object>();
        if (death is { FuneralGrantFen: > 0 })
            rows.Add(Outstanding(stopped, city, deathMonth, PaymentKind.FuneralGrant, death.FuneralGrantFen, 0, now));
        if (death is { SurvivorsPensionFen: > 0 })
            rows.Add(Outstanding(stopped, city, deathMonth, PaymentKind.SurvivorsPension, death.SurvivorsPensionFen, 0, now));
        if (settlement.DeathMonthToPay is { } month)
        {
            var amounts = PaymentAmounts.For(province.FindCity(city)!, province.Payouts, month)
                          ?? throw new InvalidOperationException($"City {city} has no benefit standard for {month}.");
            rows.Add(Outstanding(stopped, city, month, PaymentKind.Benefit, amounts.BenefitFen, amounts.MedicalFen, now));
        }
        await InsertOutstandingAsync(c, t, rows);
    }

    private static object Outstanding(Claim claim, string city, YearMonth period, PaymentKind kind, long amountFen, long medicalFen, DateTimeOffset now) => new
    {
        id = PaymentReference.For(claim.Id, period, kind, 1), applicationId = claim.Id.ToString(), city, period = period.ToString(),
        kind = kind.Code(), amountFen, medicalFen, at = now.ToUnixTimeMilliseconds(),
    };

    /// <summary>Payments no run has taken yet: the next run adopts them. The id keeps a month from being added twice.</summary>
    private static Task InsertOutstandingAsync(DbConnection c, DbTransaction t, IReadOnlyList<object> rows) => c.ExecuteAsync(
        """
        INSERT INTO payments (id, application_id, city_code, period, kind, attempt, reissue_of, amount_fen, medical_fen,
                              deducted_fen, status, run_id, return_reason, flagged, held, created_at, updated_at)
        VALUES (@id, @applicationId, @city, @period, @kind, 1, NULL, @amountFen, @medicalFen, 0, 'scheduled', NULL, NULL, FALSE, FALSE, @at, @at)
        ON CONFLICT (id) DO NOTHING
        """, rows, t);

    private sealed class PaymentRow
    {
        public string Id { get; init; } = "";
        public string Kind { get; init; } = "";
        public string Period { get; init; } = "";
        public long Attempt { get; init; }
        public string Status { get; init; } = "";
        public long AmountFen { get; init; }
        public long MedicalFen { get; init; }
        public long DeductedFen { get; init; }
        public string? ReissueOf { get; init; }
        public bool Issued { get; init; }
    }
}
