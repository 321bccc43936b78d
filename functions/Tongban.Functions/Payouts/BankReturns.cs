using System.Data.Common;
using CsvHelper;
using Dapper;
using Tongban.Applications;
using Tongban.Domain.Claims;
using Tongban.Domain.Ledger;
using Tongban.Domain.Notifications;
using Tongban.Domain.Payouts;
using Tongban.Domain;
using Tongban.Hosting;
using Tongban.Ledger;
using Tongban.PersonalData;
using Tongban.Registry;
using Tongban.Storage;

namespace Tongban.Payouts;

public sealed record ReturnImportResult(int Paid, int Returned, int Unchanged, IReadOnlyList<LineReport> Rejected);

/// <summary>
/// The bank's return file for a run (<c>reference,status,reason</c>; status <c>paid</c> or <c>returned</c>): each line
/// settles one payment of the run. Paid payments leave the fund's account and are announced by SMS; the last month
/// paid completes the claim. A returned payment is reissued in the next run; a reissue returned again is flagged for
/// staff. Good lines land even when others are bad, and importing the same file again changes nothing.
/// </summary>
public sealed class BankReturns(Database database, ClaimStore store, PersonalDataProtector protector, TimeProvider clock)
{
    public static readonly string[] Header = ["reference", "status", "reason"];
    private const int LinesPerTransaction = 500;

    public async Task<ReturnImportResult> ImportCsvAsync(string runId, Stream stream, string actor, CancellationToken ct)
    {
        await using var csv = await CsvUploads.OpenAsync(stream, ct);
        var missing = Header[..2].Where(h => !csv.Headers.Contains(h)).ToList();
        if (missing.Count > 0) throw new InvalidCsvException($"The first line must be the header reference,status,reason; it lacks: {string.Join(", ", missing)}.");

        var importId = Guid.NewGuid().ToString("N");
        var rejected = new List<LineReport>();
        int paid = 0, returned = 0, unchanged = 0, batchNumber = 0;
        var batch = new List<ReturnLine>();
        while (true)
        {
            var more = true;
            try
            {
                more = await csv.ReadAsync(ct);
            }
            catch (CsvFormatException e)
            {
                // A broken record (an unclosed quote) ends what can be read safely: report it, keep what came before.
                rejected.Add(LineReport.Malformed((int)csv.LineNumber, e.Message));
                more = false;
            }
            if (more && csv.FieldCount != csv.Headers.Count)
            {
                // A stray or missing comma shifts this line's fields: refuse it alone rather than guess which is the status.
                rejected.Add(LineReport.FieldCount((int)csv.LineNumber, csv.FieldCount, csv.Headers.Count));
            }
            else if (more)
            {
                string F(string name) => csv.TryGetFieldIndex(name, out var i) ? csv.GetString(i) : "";
                batch.Add(new ReturnLine((int)csv.LineNumber, F("reference"), F("status"), F("reason")));
            }
            if (batch.Count == LinesPerTransaction || (!more && batch.Count > 0))
            {
                var outcome = await ApplyAsync(runId, importId, ++batchNumber, batch, actor, ct);
                paid += outcome.Paid;
                returned += outcome.Returned;
                unchanged += outcome.Unchanged;
                rejected.AddRange(outcome.Rejected);
                batch.Clear();
            }
            if (!more) break;
        }
        return new ReturnImportResult(paid, returned, unchanged, rejected.OrderBy(r => r.Line).ToList());
    }

    private Task<ReturnImportResult> ApplyAsync(string runId, string importId, int batchNumber, List<ReturnLine> lines, string actor,
        CancellationToken ct) => database.InTransactionAsync(async (c, t) =>
    {
        var now = clock.GetUtcNow();
        var ids = lines.Select(l => l.Reference).Where(r => r.Length > 0).Distinct().ToList();
        var payments = (await c.QueryAsync<PaymentState>(
            $"""
             SELECT p.id, p.application_id, p.city_code, p.period, p.kind, p.attempt, p.status, p.amount_fen, p.deducted_fen,
                    p.run_id, p.held, p.paid_at, a.case_number, {Payees.AccountSql} AS bank_account_enc, f.archived AS in_bank,
                    EXISTS (SELECT 1 FROM death_reports dp WHERE dp.person_key = a.person_key) AS deceased
             FROM payments p JOIN applications a ON a.id = p.application_id LEFT JOIN persons per ON per.person_key = a.person_key
             LEFT JOIN payout_files f ON f.run_id = p.run_id AND f.city_code = p.city_code
             {Payees.JoinSql}
             WHERE {database.In("p.id", "ids")} ORDER BY p.id {(database.Provider == DatabaseProvider.Postgres ? "FOR UPDATE OF p" : "")}
             """, new { ids }, t)).ToDictionary(p => p.Id);

        var rejected = new List<LineReport>();
        var paidNow = new List<PaymentState>();
        var confirmedOverpaid = new List<PaymentState>();
        var returnedNow = new List<(PaymentState Payment, string Reason)>();
        var returnedOverpaid = new List<(PaymentState Payment, string Reason)>();
        var unchanged = 0;
        foreach (var line in lines)
        {
            var errors = new List<string>();
            if (line.Reference.Length == 0) errors.Add("reference: required");
            if (line.Status is not ("paid" or "returned")) errors.Add($"status: '{line.Status}' is not paid or returned");
            if (line.Reason.Length > 200) errors.Add("reason: longer than 200 characters");
            PaymentState? p = null;
            if (line.Reference.Length > 0 && (!payments.TryGetValue(line.Reference, out p) || p.RunId != runId))
                errors.Add($"reference: unknown reference {line.Reference}, no payment of this run has it");
            else if (p is not null && (p.Held || p.InBank != true || p.Status == "cancelled"))
                errors.Add($"reference: payment {p.Id} was not in a bank file sent to the bank");
            if (errors.Count > 0 || p is null)
            {
                rejected.Add(new LineReport(line.Line, errors));
                continue;
            }

            // A scheduled payment in an archived bank file is one the bank has: sent.
            var status = p.Status == "scheduled" ? "sent" : p.Status;
            switch (line.Status, status, p.PaidAt)
            {
                case ("paid", "sent", _):
                    p.Status = "paid";
                    p.PaidAt = now.ToUnixTimeMilliseconds();
                    paidNow.Add(p);
                    break;
                case ("paid", "overpaid", null):
                    p.PaidAt = now.ToUnixTimeMilliseconds();
                    confirmedOverpaid.Add(p);
                    break;
                case ("returned", "sent", _):
                    p.Status = "returned";
                    returnedNow.Add((p, Reason(line)));
                    break;
                case ("returned", "overpaid", null):
                    p.Status = "returned";
                    returnedOverpaid.Add((p, Reason(line)));
                    break;
                case ("paid", "paid", _) or ("paid", "overpaid", not null) or ("returned", "returned", _):
                    unchanged++;
                    break;
                default:
                    rejected.Add(new LineReport(line.Line, [$"payment {p.Id} is {status}{(p.PaidAt is null ? "" : " (confirmed paid)")}; it cannot now be {line.Status}"]));
                    break;
            }
        }

        var at = now.ToUnixTimeMilliseconds();
        if (paidNow.Count > 0)
            await c.ExecuteAsync($"UPDATE payments SET status = 'paid', paid_at = @at, updated_at = @at WHERE {database.In("id", "ids")}",
                new { ids = paidNow.Select(p => p.Id).ToList(), at }, t);
        if (confirmedOverpaid.Count > 0)
            await c.ExecuteAsync($"UPDATE payments SET paid_at = @at, updated_at = @at WHERE {database.In("id", "ids")}",
                new { ids = confirmedOverpaid.Select(p => p.Id).ToList(), at }, t);
        // A first attempt returned is reissued in the next run; a reissue returned again goes to staff.
        await c.ExecuteAsync(
            "UPDATE payments SET status = 'returned', return_reason = @reason, flagged = @flagged, updated_at = @at WHERE id = @id",
            returnedNow.Select(r => new { id = r.Payment.Id, reason = r.Reason, flagged = r.Payment.Attempt > 1, at }), t);
        // The month is not owed (a stop excluded it): nothing to reissue, and what came back settles the recovery.
        await c.ExecuteAsync(
            "UPDATE payments SET status = 'returned', return_reason = @reason, updated_at = @at WHERE id = @id",
            returnedOverpaid.Select(r => new { id = r.Payment.Id, reason = r.Reason, at }), t);
        await c.ExecuteAsync(ReissueSql,
            returnedNow.Where(r => r.Payment.Attempt == 1).Select(r => new { id = r.Payment.Id, newId = ReissueId(r.Payment), at }), t);
        // What came back settles what the person still owes; what they had already repaid at the counter or had deducted
        // is theirs again: a refund due, through the ledger, not a second recovery.
        foreach (var (p, _) in returnedOverpaid)
        {
            var recovery = await c.QuerySingleAsync<RecoveryCaseRow>(
                $"SELECT * FROM recovery_cases WHERE payment_id = @id {(database.Provider == DatabaseProvider.Postgres ? "FOR UPDATE" : "")}",
                new { id = p.Id }, t);
            var recovered = Math.Min(p.NetFen, recovery.OutstandingFen);
            p.RefundDueFen = p.NetFen - recovered;
            if (recovered > 0)
                await Recoveries.RecordAsync(c, t, recovery.Id, $"bank-return:{p.Id}", "bank-return", recovered, p.Id, null, actor, now);
        }

        foreach (var city in paidNow.Concat(confirmedOverpaid).Concat(returnedNow.Select(r => r.Payment)).Concat(returnedOverpaid.Select(r => r.Payment))
                     .Select(p => p.CityCode).Distinct())
        {
            await LedgerStore.PostAsync(c, t, Postings.BankReturn($"bank-return:{importId}:{batchNumber}:{city}", city, "银行回盘",
                paidNow.Concat(confirmedOverpaid).Where(p => p.CityCode == city).Sum(p => p.NetFen),
                returnedNow.Where(r => r.Payment.CityCode == city).Sum(r => r.Payment.NetFen),
                returnedOverpaid.Where(r => r.Payment.CityCode == city).Sum(r => r.Payment.NetFen - r.Payment.RefundDueFen),
                returnedOverpaid.Where(r => r.Payment.CityCode == city).Sum(r => r.Payment.RefundDueFen)), runId, now);
        }

        // After a reported death the family is told, in words to them; nothing goes to the deceased.
        await PaymentNotifications.AddAsync(c, t, paidNow.Where(p => p.BankAccountEnc is not null).Select(p => new PaymentSms(p.ApplicationId,
            $"payment:{p.Id}:paid", p.Deceased
                ? SmsMessage.PaidFamily(p.CaseNumber, PaymentCodes.ParseKind(p.Kind), YearMonth.Parse(p.Period), p.NetFen, p.DeductedFen,
                    protector.Decrypt(p.BankAccountEnc!))
                : SmsMessage.Paid(PaymentCodes.ParseKind(p.Kind), YearMonth.Parse(p.Period), p.NetFen, p.DeductedFen,
                    protector.Decrypt(p.BankAccountEnc!)))).ToList(), now);

        await CompleteAsync(c, t, paidNow.Where(p => p.Kind == "benefit").Select(p => p.ApplicationId).Distinct().ToList(), now);

        return new ReturnImportResult(paidNow.Count + confirmedOverpaid.Count, returnedNow.Count + returnedOverpaid.Count, unchanged, rejected);
    }, ct);

    /// <summary>
    /// Every month of the entitlement is paid: an approved claim is complete (a stopped one stays terminated). Not while
    /// an earlier month still waits — returned and waiting for its reissue, a reissue not yet in a bank file, or one
    /// flagged for staff: the person is still owed it, and the claim's completion SMS would say otherwise.
    /// </summary>
    private async Task CompleteAsync(DbConnection c, DbTransaction t, List<string> applicationIds, DateTimeOffset now)
    {
        if (applicationIds.Count == 0) return;
        // One statement finds the few claims of the batch that are settled now; only those are locked and moved.
        var settled = await c.QueryAsync<string>(
            $"""
            SELECT a.id FROM applications a
            WHERE {database.In("a.id", "applicationIds")} AND a.status = 'approved'
              AND EXISTS (SELECT 1 FROM payments p
                          WHERE p.application_id = a.id AND p.kind = 'benefit' AND p.period = a.end_month AND p.status = 'paid')
              AND NOT EXISTS (SELECT 1 FROM payments p LEFT JOIN payout_files f ON f.run_id = p.run_id AND f.city_code = p.city_code
                              WHERE p.application_id = a.id AND p.kind = 'benefit'
                                AND ((p.status = 'scheduled' AND f.run_id IS NULL) OR (p.status = 'returned' AND p.flagged)))
            """, new { applicationIds }, t);
        foreach (var applicationId in settled)
        {
            if (await ClaimStore.LoadAsync(c, t, applicationId, forUpdate: database.Provider == DatabaseProvider.Postgres)
                is not { Claim.Status: ClaimStatus.Approved } found) continue;
            await store.ApplyAsync(c, t, ClaimWorkflow.Complete(found.Claim), found.Claim.Version, found.ReceivedAt, now);
        }
    }

    /// <summary>
    /// A returned payment's next attempt (@id the returned one, @newId from <see cref="ReissueId"/>): the same month, kind
    /// and amount, waiting for the next run. The medical contribution went with the first attempt and is not paid again.
    /// </summary>
    public const string ReissueSql = """
        INSERT INTO payments (id, application_id, city_code, period, kind, attempt, reissue_of, amount_fen, medical_fen,
                              deducted_fen, status, run_id, return_reason, flagged, held, created_at, updated_at)
        SELECT @newId, application_id, city_code, period, kind, attempt + 1, id, amount_fen, 0,
               deducted_fen, 'scheduled', NULL, NULL, FALSE, FALSE, @at, @at
        FROM payments WHERE id = @id
        ON CONFLICT (id) DO NOTHING
        """;

    public static string ReissueId(string applicationId, string period, string kind, long attempt) =>
        PaymentReference.For(Guid.Parse(applicationId), YearMonth.Parse(period), PaymentCodes.ParseKind(kind), (int)attempt + 1);

    private static string ReissueId(PaymentState p) => ReissueId(p.ApplicationId, p.Period, p.Kind, p.Attempt);

    private static string Reason(ReturnLine line) => line.Reason.Length > 0 ? line.Reason : "银行退回";

    private sealed record ReturnLine(int Line, string Reference, string Status, string Reason);

    private sealed class PaymentState
    {
        public string Id { get; init; } = "";
        public string ApplicationId { get; init; } = "";
        public string CityCode { get; init; } = "";
        public string Period { get; init; } = "";
        public string Kind { get; init; } = "";
        public long Attempt { get; init; }
        public string Status { get; set; } = "";
        public long AmountFen { get; init; }
        public long DeductedFen { get; init; }
        public string? RunId { get; init; }
        public bool Held { get; init; }
        public bool? InBank { get; init; }
        public long? PaidAt { get; set; }
        public string? BankAccountEnc { get; init; }
        public string CaseNumber { get; init; } = "";
        public bool Deceased { get; init; }
        public long NetFen => AmountFen - DeductedFen;
        /// <summary>Of an overpaid payment's money returned by the bank, the fen the person had already repaid: owed back to them.</summary>
        public long RefundDueFen { get; set; }
    }
}
