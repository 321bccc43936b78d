using System.Data.Common;
using Dapper;
using Tongban.Applications;

namespace Tongban.Payouts;

public sealed record PayoutFileView(string CityCode, string Path, long Payments, decimal Amount, long Held, bool Archived);

/// <summary>
/// A run and its totals, in yuan. <c>kind</c>: <c>monthly</c> or <c>supplementary</c> (补发, <c>sequence</c> 1, 2, … within the
/// month). <c>totalAmount</c> is what the fund pays out: every payment of the run, less deductions. The totals are those
/// kept on the run when it completed; before that, those of the bank files it has issued so far.
/// </summary>
public sealed record PayoutRunView(
    string RunId, string Period, string Kind, long Sequence, string Status, long Payments, decimal TotalAmount,
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
    public static async Task<PayoutRunView?> RunAsync(DbConnection c, string runId) =>
        (await RunsAsync(c, "r.id = @runId", new { runId, limit = 1 })).SingleOrDefault();

    /// <summary>The latest runs, newest month first and, within a month, the latest supplementary run first.</summary>
    public static Task<IReadOnlyList<PayoutRunView>> LatestRunsAsync(DbConnection c, int limit) => RunsAsync(c, "1 = 1", new { limit });

    /// <summary>Runs with their totals: kept on the run once completed, the issued files' sums before (a few rows either way).</summary>
    private static async Task<IReadOnlyList<PayoutRunView>> RunsAsync(DbConnection c, string filter, object args)
    {
        var runs = (await c.QueryAsync<RunRow>(
            $"""
             SELECT r.id, r.period, r.kind, r.sequence, r.status, r.chunks, r.requested_by, r.created_at, r.completed_at,
                    COALESCE(r.payments, f.payments, 0) AS payments, COALESCE(r.total_fen, f.total_fen, 0) AS total_fen,
                    COALESCE(r.benefit_fen, f.benefit_fen, 0) AS benefit_fen, COALESCE(r.medical_fen, f.medical_fen, 0) AS medical_fen,
                    COALESCE(r.death_fen, f.death_fen, 0) AS death_fen, COALESCE(r.reissued_fen, f.reissued_fen, 0) AS reissued_fen,
                    COALESCE(r.deducted_fen, f.deducted_fen, 0) AS deducted_fen
             FROM payout_runs r
             LEFT JOIN (SELECT run_id, SUM(payments + held) AS payments, SUM(amount_fen + held_fen) AS total_fen,
                               SUM(benefit_fen) AS benefit_fen, SUM(medical_fen) AS medical_fen, SUM(death_fen) AS death_fen,
                               SUM(reissued_fen) AS reissued_fen, SUM(deducted_fen) AS deducted_fen
                        FROM payout_files GROUP BY run_id) f ON f.run_id = r.id
             WHERE {filter}
             ORDER BY r.period DESC, r.sequence DESC LIMIT @limit
             """, args)).ToList();
        if (runs.Count == 0) return [];
        var files = (await c.QueryAsync<PayoutFileRow>(
                $"""
                 SELECT f.* FROM payout_files f
                 JOIN (SELECT r.id FROM payout_runs r WHERE {filter} ORDER BY r.period DESC, r.sequence DESC LIMIT @limit) r ON r.id = f.run_id
                 ORDER BY f.city_code
                 """, args))
            .ToLookup(f => f.RunId);
        return runs.Select(run => new PayoutRunView(run.Id, run.Period, run.Kind, run.Sequence, run.Status, run.Payments ?? 0,
            Yuan(run.TotalFen ?? 0), Yuan(run.BenefitFen ?? 0), Yuan(run.MedicalFen ?? 0), Yuan(run.DeathFen ?? 0), Yuan(run.ReissuedFen ?? 0),
            Yuan(run.DeductedFen ?? 0), run.Chunks, run.RequestedBy, ApplicationViews.Time(run.CreatedAt),
            run.CompletedAt is { } done ? ApplicationViews.Time(done) : null,
            files[run.Id].Select(f => new PayoutFileView(f.CityCode, f.Path, f.Payments, Yuan(f.AmountFen), f.Held, f.Archived)).ToList())).ToList();
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
