using Tongban.Domain.Entitlements;
using Tongban.Domain.Payouts;

namespace Tongban.Domain.Tests.Payouts;

/// <summary>An 18-month entitlement from November 2026; the stop is dated 10 January 2027 unless said otherwise.</summary>
public class StopSettlementTests
{
    private static readonly Entitlement Eighteen = new(18, 183000, new YearMonth(2026, 11), new YearMonth(2028, 4));
    private static readonly DateOnly TenthOfJanuary = new(2027, 1, 10);
    private const long Standard = 183000, Medical = 26200;

    private static PaymentRecord Benefit(int year, int month, PaymentStatus status, int attempt = 1, long deducted = 0, string? reissueOf = null) =>
        new($"{year}{month:D2}B{attempt:D2}", PaymentKind.Benefit, new YearMonth(year, month), attempt, status, Standard,
            attempt == 1 ? Medical : 0, deducted, reissueOf);

    private static StopSettlementResult Settle(PartialMonthRule rule, bool died, params PaymentRecord[] payments) =>
        StopSettlement.Decide(Eighteen, TenthOfJanuary, died, rule, payments);

    [Fact]
    public void Paid_months_after_the_stop_month_become_overpayments_and_covered_ones_stay()
    {
        var r = Settle(PartialMonthRule.StopMonthPaid, false,
            Benefit(2026, 12, PaymentStatus.Paid), Benefit(2027, 1, PaymentStatus.Paid), Benefit(2027, 2, PaymentStatus.Paid));

        Assert.Equal(["202702B01"], r.Overpaid);
        Assert.Equal([new Overpayment("202702B01", new YearMonth(2027, 2), Standard)], r.Recoveries);
        Assert.Equal(Standard, r.OverpaidFen);
        Assert.Equal(Medical, r.MedicalReversedFen);
        Assert.Empty(r.Cancelled);
    }

    [Fact]
    public void Under_stop_month_not_paid_the_stop_month_itself_is_overpaid()
    {
        var r = Settle(PartialMonthRule.StopMonthNotPaid, false, Benefit(2026, 12, PaymentStatus.Paid), Benefit(2027, 1, PaymentStatus.Sent));

        Assert.Equal(["202701B01"], r.Overpaid);
    }

    [Fact]
    public void A_payment_not_yet_in_a_bank_file_is_cancelled_and_books_nothing()
    {
        var r = Settle(PartialMonthRule.StopMonthPaid, false, Benefit(2027, 2, PaymentStatus.Scheduled));

        Assert.Equal(["202702B01"], r.Cancelled);
        Assert.Empty(r.Recoveries);
        Assert.False(r.ChangesLedger);
    }

    [Fact]
    public void A_pending_reissue_is_cancelled_and_the_returned_money_it_carried_is_released()
    {
        var r = Settle(PartialMonthRule.StopMonthPaid, false,
            Benefit(2027, 2, PaymentStatus.Returned, deducted: 50000),
            Benefit(2027, 2, PaymentStatus.Scheduled, attempt: 2, deducted: 50000, reissueOf: "202702B01"));

        Assert.Equal(["202702B02"], r.Cancelled);
        Assert.Equal(["202702B01"], r.Released);
        Assert.Equal(Standard - 50000, r.VoidedReturnedNetFen);
        // The 500 yuan deducted from it settled an older debt with money that turned out not to be due: owed again.
        Assert.Equal(50000, r.VoidedDeductedFen);
        Assert.Equal([new Overpayment("202702B01", new YearMonth(2027, 2), 50000)], r.Recoveries);
        Assert.Equal(Medical, r.MedicalReversedFen);
    }

    [Fact]
    public void A_paid_reissue_is_overpaid_once_with_the_first_issues_medical_contribution()
    {
        var r = Settle(PartialMonthRule.StopMonthPaid, false,
            Benefit(2027, 3, PaymentStatus.Returned),
            Benefit(2027, 3, PaymentStatus.Paid, attempt: 2, reissueOf: "202703B01"));

        Assert.Equal(["202703B02"], r.Overpaid);
        Assert.Empty(r.Released);
        Assert.Equal(Medical, r.MedicalReversedFen);
    }

    [Fact]
    public void A_flagged_second_return_is_released_not_reissued()
    {
        var r = Settle(PartialMonthRule.StopMonthPaid, false,
            Benefit(2027, 2, PaymentStatus.Returned),
            Benefit(2027, 2, PaymentStatus.Returned, attempt: 2, reissueOf: "202702B01"));

        Assert.Equal(["202702B02"], r.Released);
        Assert.Equal(Standard, r.VoidedReturnedNetFen);
    }

    [Fact]
    public void Overpaid_and_cancelled_payments_are_left_as_they_are()
    {
        var r = Settle(PartialMonthRule.StopMonthPaid, false, Benefit(2027, 2, PaymentStatus.Overpaid), Benefit(2027, 3, PaymentStatus.Cancelled));

        Assert.Empty(r.Overpaid);
        Assert.Empty(r.Cancelled);
        Assert.False(r.ChangesLedger);
    }

    [Fact]
    public void After_a_death_the_unpaid_month_of_death_is_to_be_paid_whatever_the_rule()
    {
        var r = Settle(PartialMonthRule.StopMonthNotPaid, true, Benefit(2026, 12, PaymentStatus.Paid));

        Assert.Equal(new YearMonth(2027, 1), r.DeathMonthToPay);
        Assert.Empty(r.Overpaid);
    }

    [Fact]
    public void A_month_of_death_already_paid_is_not_paid_again()
    {
        var r = Settle(PartialMonthRule.StopMonthPaid, true, Benefit(2027, 1, PaymentStatus.Paid), Benefit(2027, 2, PaymentStatus.Paid));

        Assert.Null(r.DeathMonthToPay);
        Assert.Equal(["202702B01"], r.Overpaid);
    }

    [Fact]
    public void Death_benefits_are_never_excluded()
    {
        var funeral = new PaymentRecord("202701F01", PaymentKind.FuneralGrant, new YearMonth(2027, 1), 1, PaymentStatus.Sent, 80000, 0, 0, null);

        var r = StopSettlement.Decide(Eighteen, new DateOnly(2026, 10, 1), false, PartialMonthRule.StopMonthPaid, [funeral]);

        Assert.Empty(r.Overpaid);
    }
}
