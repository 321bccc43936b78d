using System.Data.Common;
using Dapper;
using Tongban.Applications;

namespace Tongban.Payouts;

public sealed record PayoutFileView(string CityCode, string Path, long Payments, decimal Amount, long Held, bool Archived);

/// <summary>A run and its totals. <c>totalAmount</c> is what the fund pays out: every payment of the run, less deductions.</summary>
public sealed record PayoutRunView(
    string RunId, string Period, string Status, long Payments, decimal TotalAmount,
    decimal BenefitAmount, decimal MedicalContribution, decimal DeathBenefits, decimal Reissued, decimal Deducted,
    long Chunks, string RequestedBy, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt,
    IReadOnlyList<PayoutFileView> Files);

public sealed record PaymentView(
    string PaymentId, string Period, string Kind, decimal Amount, decimal Deducted, string Status, int Attempt,
    string? RunId, string? ReturnReason, bool Flagged);

public sealed record StaffPaymentView(
    string PaymentId, string ApplicationId, string CaseNumber, string CityCode, string Period, string Kind, decimal Amount,
    int Attempt, string Status, string? ReturnReason, string? RunId, bool Flagged);

public sealed record RecoveryView(string Method, decimal Amount, string? PaymentId, string? Reference, string Actor, DateTimeOffset At);

public sealed record RecoveryCaseView(
    string CaseId, string ApplicationId, string PaymentId, string CityCode, string Period, decimal Amount, decimal Recovered,
    decimal Outstanding, string Method, int? Instalments, decimal? InstalmentAmount, string Reason, string Status,
    DateTimeOffset CreatedAt, IReadOnlyList<RecoveryView> Recoveries);

/// <summary>Reads payouts for administrators and applicants; amounts in yuan.</summary>
public static class PayoutViews
{
    public static async Task<PayoutRunView?> RunAsync(DbConnection c, string runId)
    {
        var run = await PayoutRuns.FindAsync(c, runId);
        if (run is null) return null;
        var totals = await c.QuerySingleAsync<RunTotals>(
            """
            SELECT COUNT(*) AS payments,
              CAST(COALESCE(SUM(amount_fen - deducted_fen), 0) AS BIGINT) AS total_fen,
              CAST(COALESCE(SUM(CASE WHEN kind = 'benefit' AND attempt = 1 THEN amount_fen ELSE 0 END), 0) AS BIGINT) AS benefit_fen,
              CAST(COALESCE(SUM(medical_fen), 0) AS BIGINT) AS medical_fen,
              CAST(COALESCE(SUM(CASE WHEN kind <> 'benefit' AND attempt = 1 THEN amount_fen ELSE 0 END), 0) AS BIGINT) AS death_fen,
              CAST(COALESCE(SUM(CASE WHEN attempt > 1 THEN amount_fen - deducted_fen ELSE 0 END), 0) AS BIGINT) AS reissued_fen,
              CAST(COALESCE(SUM(CASE WHEN attempt = 1 THEN deducted_fen ELSE 0 END), 0) AS BIGINT) AS deducted_fen
            FROM payments WHERE run_id = @runId AND status <> 'cancelled'
            """, new { runId });
        var files = await c.QueryAsync<PayoutFileRow>("SELECT * FROM payout_files WHERE run_id = @runId ORDER BY city_code", new { runId });
        return new PayoutRunView(run.Id, run.Period, run.Status, totals.Payments, Yuan(totals.TotalFen), Yuan(totals.BenefitFen),
            Yuan(totals.MedicalFen), Yuan(totals.DeathFen), Yuan(totals.ReissuedFen), Yuan(totals.DeductedFen),
            run.Chunks, run.RequestedBy, ApplicationViews.Time(run.CreatedAt),
            run.CompletedAt is { } done ? ApplicationViews.Time(done) : null,
            files.Select(f => new PayoutFileView(f.CityCode, f.Path, f.Payments, Yuan(f.AmountFen), f.Held, f.Archived)).ToList());
    }

    /// <summary>A scheduled payment whose bank file is issued shows as <c>sent</c>.</summary>
    public const string StatusSql = "CASE WHEN p.status = 'scheduled' AND f.run_id IS NOT NULL THEN 'sent' ELSE p.status END";

    public static async Task<IReadOnlyList<PaymentView>> OfApplicationAsync(DbConnection c, string applicationId) =>
        (await c.QueryAsync<PaymentRow>(
            $"""
             SELECT p.id, p.period, p.kind, p.attempt, p.amount_fen, p.deducted_fen, {StatusSql} AS status, p.run_id, p.return_reason, p.flagged
             FROM payments p LEFT JOIN payout_files f ON f.run_id = p.run_id AND f.city_code = p.city_code
             WHERE p.application_id = @applicationId ORDER BY p.period, p.kind, p.attempt
             """, new { applicationId }))
        .Select(p => new PaymentView(p.Id, p.Period, p.Kind, Yuan(p.AmountFen), Yuan(p.DeductedFen), p.Status, (int)p.Attempt,
            p.RunId, p.ReturnReason, p.Flagged)).ToList();

    /// <summary>
    /// Payments for staff: those flagged (returned twice, or held for want of a card account: waiting for staff to fix
    /// the account and reissue), or the one with a bank reference (the payment id).
    /// </summary>
    public static async Task<IReadOnlyList<StaffPaymentView>> ForStaffAsync(DbConnection c, bool flagged, string? reference) =>
        (await c.QueryAsync<StaffPaymentRow>(
            $"""
             SELECT p.id, p.application_id, a.case_number, p.city_code, p.period, p.kind, p.amount_fen, p.deducted_fen, p.attempt,
                    {StatusSql} AS status, p.return_reason, p.run_id, p.flagged
             FROM payments p JOIN applications a ON a.id = p.application_id
             LEFT JOIN payout_files f ON f.run_id = p.run_id AND f.city_code = p.city_code
             WHERE {(flagged ? "p.flagged" : "p.id = @reference")} ORDER BY p.updated_at DESC, p.id LIMIT 500
             """, new { reference }))
        .Select(p => new StaffPaymentView(p.Id, p.ApplicationId, p.CaseNumber, p.CityCode, p.Period, p.Kind, Yuan(p.AmountFen - p.DeductedFen),
            (int)p.Attempt, p.Status, p.ReturnReason, p.RunId, p.Flagged)).ToList();

    public static async Task<IReadOnlyList<RecoveryCaseView>> RecoveryCasesAsync(DbConnection c, string? applicationId, string? status,
        string? caseId = null)
    {
        var filter = (applicationId is null ? "" : " AND rc.application_id = @applicationId") + (status is null ? "" : " AND rc.status = @status")
                     + (caseId is null ? "" : " AND rc.id = @caseId");
        var args = new { applicationId, status, caseId };
        var cases = (await c.QueryAsync<RecoveryCaseRow>(
            $"SELECT rc.* FROM recovery_cases rc WHERE 1 = 1{filter} ORDER BY rc.created_at DESC, rc.id LIMIT 500", args)).ToList();
        if (cases.Count == 0) return [];
        var ids = cases.Select(x => x.Id).ToHashSet();
        var recoveries = (await c.QueryAsync<RecoveryRow>(
                $"""
                 SELECT r.case_id, r.method, r.amount_fen, r.payment_id, r.reference, r.actor, r.at
                 FROM recoveries r JOIN recovery_cases rc ON rc.id = r.case_id
                 WHERE 1 = 1{filter}
                 ORDER BY r.id
                 """, args))
            .Where(r => ids.Contains(r.CaseId))
            .ToLookup(r => r.CaseId);
        return cases.Select(x => new RecoveryCaseView(x.Id, x.ApplicationId, x.PaymentId, x.CityCode, x.Period, Yuan(x.AmountFen),
            Yuan(x.RecoveredFen), Yuan(x.OutstandingFen), x.Method, (int?)x.Instalments,
            x.InstalmentFen is { } each ? Yuan(each) : null, x.Reason, x.Status, ApplicationViews.Time(x.CreatedAt),
            recoveries[x.Id].Select(r => new RecoveryView(r.Method, Yuan(r.AmountFen), r.PaymentId, r.Reference, r.Actor,
                ApplicationViews.Time(r.At))).ToList())).ToList();
    }

    public static decimal Yuan(long fen) => fen / 100m;

    private sealed class RunTotals
    {
        public long Payments { get; init; }
        public long TotalFen { get; init; }
        public long BenefitFen { get; init; }
        public long MedicalFen { get; init; }
        public long DeathFen { get; init; }
        public long ReissuedFen { get; init; }
        public long DeductedFen { get; init; }
    }

    private sealed class PaymentRow
    {
        public string Id { get; init; } = "";
        public string Period { get; init; } = "";
        public string Kind { get; init; } = "";
        public long Attempt { get; init; }
        public long AmountFen { get; init; }
        public long DeductedFen { get; init; }
        public string Status { get; init; } = "";
        public string? RunId { get; init; }
        public string? ReturnReason { get; init; }
        public bool Flagged { get; init; }
    }

    private sealed class StaffPaymentRow
    {
        public string Id { get; init; } = "";
        public string ApplicationId { get; init; } = "";
        public string CaseNumber { get; init; } = "";
        public string CityCode { get; init; } = "";
        public string Period { get; init; } = "";
        public string Kind { get; init; } = "";
        public long AmountFen { get; init; }
        public long DeductedFen { get; init; }
        public long Attempt { get; init; }
        public string Status { get; init; } = "";
        public string? ReturnReason { get; init; }
        public string? RunId { get; init; }
        public bool Flagged { get; init; }
    }

    private sealed class RecoveryRow
    {
        public string CaseId { get; init; } = "";
        public string Method { get; init; } = "";
        public long AmountFen { get; init; }
        public string? PaymentId { get; init; }
        public string? Reference { get; init; }
        public string Actor { get; init; } = "";
        public long At { get; init; }
    }
}
