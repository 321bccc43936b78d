using Tongban.Domain.Ledger;

namespace Tongban.Domain.Tests.Payouts;

public class PostingsTests
{
    private static long Debit(Posting p, string account) => p.Lines.Where(l => l.Account == account).Sum(l => l.DebitFen);
    private static long Credit(Posting p, string account) => p.Lines.Where(l => l.Account == account).Sum(l => l.CreditFen);

    [Fact]
    public void An_issue_books_the_expense_and_owes_the_bank_what_it_must_pay_out()
    {
        // 100 months at 1,830 yuan, 26,200 yuan of medical contribution, one funeral grant, 500 yuan deducted, one reissue of 1,830.
        var p = Postings.Issue("issue:r:460200", "460200", "d", new IssueTotals(18_300_000, 2_620_000, 80_000, 50_000, 183_000));

        Assert.Equal(18_300_000, Debit(p, Accounts.BenefitExpense));
        Assert.Equal(80_000, Debit(p, Accounts.DeathBenefitExpense));
        Assert.Equal(183_000, Debit(p, Accounts.Returned));
        Assert.Equal(18_300_000 + 80_000 - 50_000 + 183_000, Credit(p, Accounts.PayableToBank));
        Assert.Equal(50_000, Credit(p, Accounts.ReceivableFromRecipients));
        Assert.Equal(2_620_000, Debit(p, Accounts.MedicalContributionExpense));
        Assert.Equal(2_620_000, Credit(p, Accounts.PayableToMedicalFund));
        Assert.Equal(p.Debits, p.Credits);
    }

    [Fact]
    public void Zero_lines_are_left_out_and_an_empty_posting_is_empty()
    {
        Assert.True(Postings.Issue("i", "c", "d", new IssueTotals(0, 0, 0, 0, 0)).IsEmpty);
        Assert.Equal(2, Postings.Repayment("r", "c", "d", 100).Lines.Count);
    }

    [Fact]
    public void The_bank_return_file_settles_what_was_owed_to_the_bank()
    {
        var p = Postings.BankReturn("b", "c", "d", paidFen: 1000, returnedFen: 300, returnedOverpaidFen: 200);

        Assert.Equal(1500, Debit(p, Accounts.PayableToBank));
        Assert.Equal(1000, Credit(p, Accounts.BankPayments));
        Assert.Equal(300, Credit(p, Accounts.Returned));
        Assert.Equal(200, Credit(p, Accounts.ReceivableFromRecipients));
    }

    [Fact]
    public void Money_of_an_overpaid_payment_already_repaid_is_owed_back_to_the_person_not_recovered_again()
    {
        var p = Postings.BankReturn("b", "c", "d", paidFen: 0, returnedFen: 0, returnedOverpaidFen: 83_000, refundDueFen: 100_000);

        Assert.Equal(183_000, Debit(p, Accounts.PayableToBank));
        Assert.Equal(83_000, Credit(p, Accounts.ReceivableFromRecipients));
        Assert.Equal(100_000, Credit(p, Accounts.RefundsDue));
        Assert.False(Accounts.IsDebitNormal(Accounts.RefundsDue));
        Assert.Equal(p.Debits, p.Credits);
    }

    [Fact]
    public void A_stop_turns_expense_into_receivable_and_releases_returned_money()
    {
        var p = Postings.StopCorrection("s", "c", "d", overpaidFen: 183000, voidedReturnedNetFen: 91500, voidedDeductedFen: 91500, medicalFen: 26200);

        Assert.Equal(183000 + 91500, Debit(p, Accounts.ReceivableFromRecipients));
        Assert.Equal(91500, Debit(p, Accounts.Returned));
        Assert.Equal(183000 + 91500 + 91500, Credit(p, Accounts.BenefitExpense));
        Assert.Equal(26200, Debit(p, Accounts.PayableToMedicalFund));
        Assert.Equal(26200, Credit(p, Accounts.MedicalContributionExpense));
        Assert.Equal(p.Debits, p.Credits);
    }

    [Fact]
    public void A_deduction_larger_than_what_was_issued_cannot_be_posted()
    {
        Assert.Throws<InvalidOperationException>(() => Postings.Issue("i", "c", "d", new IssueTotals(100, 0, 0, 200, 0)));
    }

    [Fact]
    public void Every_account_has_a_Chinese_name_and_a_normal_side()
    {
        Assert.Equal(10, Accounts.Names.Count);
        Assert.All(Accounts.Names.Values, name => Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", name));
        Assert.True(Accounts.IsDebitNormal(Accounts.BenefitExpense));
        Assert.False(Accounts.IsDebitNormal(Accounts.PayableToBank));
    }
}
