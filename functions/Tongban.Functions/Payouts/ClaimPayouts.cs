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

    /// <summary>
    /// The months a cross-check match held from <paramref name="heldFrom"/> that a decision made due again — up to the month
    /// before <paramref name="stillHeldFrom"/> (another open match), the latest run's month and the last month the claim
    /// pays now (<see cref="Domain.CrossChecks.CrossCheckRules.Released"/>) — become outstanding payments at the insuring
    /// city's standard of each month, paid by the next (supplementary) run: the same path as back pay, under the same lock.
    /// A month already paid keeps its payment (the id refuses a second).
    /// </summary>
    public async Task ReleaseHeldAsync(DbConnection c, DbTransaction t, Claim claim, YearMonth heldFrom, YearMonth? stillHeldFrom, DateTimeOffset now)
    {
        if (claim.Entitlement is not { } entitlement) return;
        await PayoutLocks.ApprovalAsync(database, c, t);
        var latestRun = await c.QuerySingleOrDefaultAsync<string>("SELECT MAX(period) FROM payout_runs", transaction: t);
        if (latestRun is null) return;
        var lastPaid = claim.StoppedOn is { } stop ? entitlement.LastPaidMonth(stop, province.Payouts.PartialMonth) : entitlement.EndMonth;
        var months = Domain.CrossChecks.CrossCheckRules.Released(heldFrom, stillHeldFrom, YearMonth.Parse(latestRun), lastPaid);
        if (months.Count == 0) return;
        var city = province.FindCity(claim.InsuringCity ?? "")
                   ?? throw new InvalidOperationException($"Insuring city {claim.InsuringCity} is not in the province.");
        await InsertOutstandingAsync(c, t, months.Select(month =>
        {
            var amounts = PaymentAmounts.For(city, province.Payouts, month)
                          ?? throw new InvalidOperationException($"City {city.Code} has no benefit standard for {month}.");
            return Outstanding(claim, city.Code, month, PaymentKind.Benefit, amounts.BenefitFen, amounts.MedicalFen, now);
        }).ToList());
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
    /// excluded months into overpayments with recovery cases, and corrects the ledger. Any other stop tells the person
    /// what they owe. After a death it schedules the family's benefits (<paramref name="death"/>) and the unpaid month of
    /// death, nets the overpayments against them in full (<see cref="DeathNetting"/>), and sends the family — never the
    /// deceased — one condolence message, and a repayment demand only for what the netting could not cover.
    /// <paramref name="payeeAccount"/>: the account the family gave, if any (its last four digits go in the message).
    /// </summary>
    public async Task SettleStopAsync(DbConnection c, DbTransaction t, Claim stopped, string eventType, DateOnly date, DeathBenefits? death,
        string? payeeAccount, DateTimeOffset now)
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
        if (settlement.ChangesLedger)
        {
            await LedgerStore.PostAsync(c, t, Postings.StopCorrection($"stop:{id}:{stopped.Version}", city,
                $"停发更正（{reason}，{date:yyyy-MM-dd}，受理编号{stopped.CaseNumber}）",
                settlement.OverpaidFen, settlement.VoidedReturnedNetFen, settlement.VoidedDeductedFen, settlement.MedicalReversedFen), null, now);
        }
        if (died)
        {
            await SettleDeathAsync(c, t, stopped, date, death, payeeAccount, settlement, reason, now);
            return;
        }
        if (settlement.Recoveries.Count == 0) return;
        var personKey = await PersonKeyAsync(c, t, id);
        foreach (var overpayment in settlement.Recoveries)
            await Recoveries.OpenAsync(c, t, id, personKey, city, overpayment, RecoveryMethods.Repayment, reason, now);
        await PaymentNotifications.AddAsync(c, t, settlement.Recoveries.Select(o =>
            new PaymentSms(id, $"overpaid:{o.PaymentId}", SmsMessage.Overpaid(o.Period, o.AmountFen, reason))).ToList(), now);
    }

    /// <summary>
    /// The family's payments (funeral grant, survivors' pension, the unpaid month of death) become outstanding, paid by the
    /// next run, with the overpayments netted from them (<c>deducted_fen</c>, recorded as recovered by deduction; the
    /// ledger credits the receivable when the bank file is issued, as for any deduction). What the netting leaves is a
    /// repayment case the family is asked for.
    /// </summary>
    private async Task SettleDeathAsync(DbConnection c, DbTransaction t, Claim stopped, DateOnly date, DeathBenefits? death,
        string? payeeAccount, StopSettlementResult settlement, string reason, DateTimeOffset now)
    {
        var id = stopped.Id.ToString();
        var city = stopped.InsuringCity!;
        var deathMonth = YearMonth.Of(date);
        var family = new List<(FamilyPayment Payment, YearMonth Period, long MedicalFen)>();
        void Add(YearMonth period, PaymentKind kind, long amountFen, long medicalFen) =>
            family.Add((new FamilyPayment(PaymentReference.For(stopped.Id, period, kind, 1), kind, amountFen), period, medicalFen));
        if (death is { FuneralGrantFen: > 0 }) Add(deathMonth, PaymentKind.FuneralGrant, death.FuneralGrantFen, 0);
        if (death is { SurvivorsPensionFen: > 0 }) Add(deathMonth, PaymentKind.SurvivorsPension, death.SurvivorsPensionFen, 0);
        if (settlement.DeathMonthToPay is { } month)
        {
            var amounts = PaymentAmounts.For(province.FindCity(city)!, province.Payouts, month)
                          ?? throw new InvalidOperationException($"City {city} has no benefit standard for {month}.");
            Add(month, PaymentKind.Benefit, amounts.BenefitFen, amounts.MedicalFen);
        }
        var netting = DeathNetting.Net(settlement.Recoveries, family.Select(f => f.Payment).ToList());
        await InsertOutstandingAsync(c, t, family.Select(f => Outstanding(stopped, city, f.Period, f.Payment.Kind, f.Payment.AmountFen,
            f.MedicalFen, now, netting.NettedFrom(f.Payment.PaymentId))).ToList());

        if (settlement.Recoveries.Count > 0)
        {
            var personKey = await PersonKeyAsync(c, t, id);
            foreach (var overpayment in settlement.Recoveries)
            {
                var owed = netting.StillOwed.Any(o => o.PaymentId == overpayment.PaymentId);
                await Recoveries.OpenAsync(c, t, id, personKey, city, overpayment, owed ? RecoveryMethods.Repayment : RecoveryMethods.Deduction, reason, now);
            }
            var cases = (await c.QueryAsync<(string Id, string PaymentId)>(
                "SELECT id, payment_id FROM recovery_cases WHERE application_id = @id", new { id }, t)).ToDictionary(x => x.PaymentId, x => x.Id);
            foreach (var n in netting.Nettings)
                await Recoveries.RecordAsync(c, t, cases[n.OverpaidPaymentId], $"death-netting:{n.PaymentId}:{cases[n.OverpaidPaymentId]}",
                    RecoveryMethods.Deduction, n.Fen, n.PaymentId, null, ClaimWorkflow.SystemActor, now);
        }

        List<PaymentSms> sms = [];
        if (death is not null)
            sms.Add(new PaymentSms(id, $"death:{id}", SmsMessage.DeathBenefits(stopped.CaseNumber, death, netting.NettedFen, payeeAccount)));
        if (netting.OwedFen > 0)
            sms.Add(new PaymentSms(id, $"overpaid-family:{id}",
                SmsMessage.OverpaidFamily(stopped.CaseNumber, settlement.Recoveries.Sum(o => o.AmountFen), netting.NettedFen, netting.OwedFen)));
        await PaymentNotifications.AddAsync(c, t, sms, now);
    }

    private static Task<string> PersonKeyAsync(DbConnection c, DbTransaction t, string id) =>
        c.QuerySingleAsync<string>("SELECT person_key FROM applications WHERE id = @id", new { id }, t);

    private static object Outstanding(Claim claim, string city, YearMonth period, PaymentKind kind, long amountFen, long medicalFen,
        DateTimeOffset now, long deductedFen = 0) => new
    {
        id = PaymentReference.For(claim.Id, period, kind, 1), applicationId = claim.Id.ToString(), city, period = period.ToString(),
        kind = kind.Code(), amountFen, medicalFen, deductedFen, at = now.ToUnixTimeMilliseconds(),
    };

    /// <summary>Payments no run has taken yet: the next run adopts them. The id keeps a month from being added twice.</summary>
    private static Task InsertOutstandingAsync(DbConnection c, DbTransaction t, IReadOnlyList<object> rows) => c.ExecuteAsync(
        """
        INSERT INTO payments (id, application_id, city_code, period, kind, attempt, reissue_of, amount_fen, medical_fen,
                              deducted_fen, status, run_id, return_reason, flagged, held, created_at, updated_at)
        VALUES (@id, @applicationId, @city, @period, @kind, 1, NULL, @amountFen, @medicalFen, @deductedFen, 'scheduled', NULL, NULL, FALSE, FALSE, @at, @at)
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
