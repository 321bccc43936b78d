namespace Tongban.Domain.Ledger;

/// <summary>One line of a ledger transaction: a debit or a credit to one account, in fen.</summary>
public sealed record LedgerLine(string Account, long DebitFen, long CreditFen);

/// <summary>
/// A balanced ledger transaction of one city's fund. <paramref name="Id"/> is derived from what caused it
/// (a run and city, a return-file batch, a stop event), so posting the same cause twice is a no-op.
/// </summary>
public sealed record Posting(string Id, string CityCode, string Kind, string Description, IReadOnlyList<LedgerLine> Lines)
{
    public long Debits => Lines.Sum(l => l.DebitFen);
    public long Credits => Lines.Sum(l => l.CreditFen);
    public bool IsEmpty => Lines.Count == 0;
}

/// <summary>Sums of the payments one bank file issues, by what they are.</summary>
public sealed record IssueTotals(
    long NewBenefitFen, long MedicalFen, long NewDeathBenefitFen, long DeductedFen, long ReissuedNetFen)
{
    /// <summary>What the bank is asked to pay out: everything issued, less what deductions kept back.</summary>
    public long ToBankFen => NewBenefitFen + NewDeathBenefitFen - DeductedFen + ReissuedNetFen;
}

/// <summary>
/// The double-entry rules for benefit payments. Every builder returns balanced lines or throws: an
/// unbalanced transaction never reaches the ledger.
/// </summary>
public static class Postings
{
    /// <summary>
    /// A bank file goes out: the expense of what it pays for the first time (less deductions, which settle
    /// what the person owes), the medical-insurance contribution for the same months, and reissues of returned
    /// payments, whose expense was booked when they were first issued.
    /// </summary>
    public static Posting Issue(string id, string city, string description, IssueTotals t) => Build(id, city, "issue", description,
    [
        Debit(Accounts.BenefitExpense, t.NewBenefitFen),
        Debit(Accounts.DeathBenefitExpense, t.NewDeathBenefitFen),
        Debit(Accounts.Returned, t.ReissuedNetFen),
        Credit(Accounts.PayableToBank, t.ToBankFen),
        Credit(Accounts.ReceivableFromRecipients, t.DeductedFen),
        Debit(Accounts.MedicalContributionExpense, t.MedicalFen),
        Credit(Accounts.PayableToMedicalFund, t.MedicalFen),
    ]);

    /// <summary>
    /// The bank's return file: payments confirmed paid leave the fund's payment account; returned ones wait to be
    /// reissued; money of an overpaid payment that comes back settles what the person still owes
    /// (<paramref name="returnedOverpaidFen"/>), and what they had already repaid or had deducted is owed back to them
    /// (<paramref name="refundDueFen"/>, <see cref="Accounts.RefundsDue"/>). All amounts in fen.
    /// </summary>
    public static Posting BankReturn(string id, string city, string description, long paidFen, long returnedFen, long returnedOverpaidFen,
        long refundDueFen = 0) =>
        Build(id, city, "bank-return", description,
        [
            Debit(Accounts.PayableToBank, paidFen + returnedFen + returnedOverpaidFen + refundDueFen),
            Credit(Accounts.BankPayments, paidFen),
            Credit(Accounts.Returned, returnedFen),
            Credit(Accounts.ReceivableFromRecipients, returnedOverpaidFen),
            Credit(Accounts.RefundsDue, refundDueFen),
        ]);

    /// <summary>
    /// A stop event excludes months already issued. Sent or paid ones become receivable from the person (the
    /// expense was not due); a returned one no longer owed leaves the returned account, and what its deduction
    /// settled is owed again. The medical-insurance contribution for those months is not owed either.
    /// </summary>
    public static Posting StopCorrection(string id, string city, string description,
        long overpaidFen, long voidedReturnedNetFen, long voidedDeductedFen, long medicalFen) =>
        Build(id, city, "stop", description,
        [
            Debit(Accounts.ReceivableFromRecipients, overpaidFen + voidedDeductedFen),
            Debit(Accounts.Returned, voidedReturnedNetFen),
            Credit(Accounts.BenefitExpense, overpaidFen + voidedReturnedNetFen + voidedDeductedFen),
            Debit(Accounts.PayableToMedicalFund, medicalFen),
            Credit(Accounts.MedicalContributionExpense, medicalFen),
        ]);

    /// <summary>A repayment received from the person into the fund's income account.</summary>
    public static Posting Repayment(string id, string city, string description, long fen) => Build(id, city, "repayment", description,
    [
        Debit(Accounts.BankRecoveries, fen),
        Credit(Accounts.ReceivableFromRecipients, fen),
    ]);

    private static LedgerLine Debit(string account, long fen) => new(account, fen, 0);
    private static LedgerLine Credit(string account, long fen) => new(account, 0, fen);

    private static Posting Build(string id, string city, string kind, string description, IEnumerable<LedgerLine> lines)
    {
        var kept = lines.Where(l => l.DebitFen != 0 || l.CreditFen != 0).ToList();
        if (kept.Any(l => l.DebitFen < 0 || l.CreditFen < 0))
            throw new InvalidOperationException($"Ledger transaction {id} has a negative line.");
        var posting = new Posting(id, city, kind, description, kept);
        if (posting.Debits != posting.Credits)
            throw new InvalidOperationException($"Ledger transaction {id} does not balance: debits {posting.Debits}, credits {posting.Credits}.");
        return posting;
    }
}
