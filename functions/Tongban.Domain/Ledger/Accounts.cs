namespace Tongban.Domain.Ledger;

/// <summary>
/// The accounts of a city's unemployment-insurance fund (失业保险基金) that benefit payments touch. Each city's
/// fund is its own set of books (Hainan keeps one system for every city's fund, seed 004).
/// </summary>
public static class Accounts
{
    /// <summary>失业保险金支出: benefit due for the months paid.</summary>
    public const string BenefitExpense = "benefit-expense";

    /// <summary>代缴基本医疗保险费支出: the medical-insurance contribution the fund pays for each recipient (社会保险法 art. 48).</summary>
    public const string MedicalContributionExpense = "medical-contribution-expense";

    /// <summary>丧葬补助金和抚恤金支出: paid to the family on a recipient's death (art. 49).</summary>
    public const string DeathBenefitExpense = "death-benefit-expense";

    /// <summary>应付银行代发款: in a bank payment file, not yet confirmed by the bank's return file.</summary>
    public const string PayableToBank = "payable-to-bank";

    /// <summary>应缴基本医疗保险费: owed to the medical-insurance fund.</summary>
    public const string PayableToMedicalFund = "payable-to-medical-fund";

    /// <summary>基金支出户: the fund's payment bank account; credited as the bank confirms each payment paid.</summary>
    public const string BankPayments = "bank-payments";

    /// <summary>银行退回待重发: sent, returned by the bank, still owed to the person and reissued in the next run.</summary>
    public const string Returned = "returned";

    /// <summary>应收多发待遇: paid for months the entitlement turned out not to cover; owed back by the person.</summary>
    public const string ReceivableFromRecipients = "receivable-from-recipients";

    /// <summary>基金收入户（追回多发待遇）: repayments of overpaid benefit received from people.</summary>
    public const string BankRecoveries = "bank-recoveries";

    /// <summary>
    /// 应退多收待遇: money of an overpaid payment the bank returned after the person had already repaid (or had deducted)
    /// what was owed; the fund owes it back to the person (经办条例 art. 46 recovers the overpayment once, not twice).
    /// </summary>
    public const string RefundsDue = "refunds-due";

    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        [BenefitExpense] = "失业保险金支出",
        [MedicalContributionExpense] = "代缴基本医疗保险费支出",
        [DeathBenefitExpense] = "丧葬补助金和抚恤金支出",
        [PayableToBank] = "应付银行代发款",
        [PayableToMedicalFund] = "应缴基本医疗保险费",
        [BankPayments] = "基金支出户",
        [Returned] = "银行退回待重发",
        [ReceivableFromRecipients] = "应收多发待遇",
        [BankRecoveries] = "基金收入户（追回多发待遇）",
        [RefundsDue] = "应退多收待遇",
    };

    /// <summary>Expenses and assets grow with debits; liabilities with credits. A balance is shown on its normal side.</summary>
    public static bool IsDebitNormal(string account) => account is BenefitExpense or MedicalContributionExpense
        or DeathBenefitExpense or BankPayments or ReceivableFromRecipients or BankRecoveries;
}
