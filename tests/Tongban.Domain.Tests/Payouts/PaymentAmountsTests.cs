using Tongban.Domain.Payouts;
using Tongban.Domain.Province;

namespace Tongban.Domain.Tests.Payouts;

public class PaymentAmountsTests
{
    // Shijiazhuang's rise from 1,760 to 1,980 yuan (seed 001), here taking effect mid-month on 15 July 2025.
    private static readonly City Shijiazhuang = new("130100", "石家庄市", [new Office("130100-01", "石家庄市社会保险事业服务中心", 6)],
        [new BenefitStandard(new DateOnly(2023, 1, 1), 176000), new BenefitStandard(new DateOnly(2025, 7, 15), 198000)]);

    private static readonly PayoutRules Rules = new(PartialMonthRule.StopMonthPaid,
        [new DatedAmount(new DateOnly(2023, 1, 1), 22800), new DatedAmount(new DateOnly(2025, 8, 1), 24000)],
        80000, [6, 9, 12], 50);

    [Fact]
    public void A_month_pays_the_standard_in_force_on_its_first_day()
    {
        Assert.Equal(176000, PaymentAmounts.For(Shijiazhuang, Rules, new YearMonth(2025, 7))!.BenefitFen);
        Assert.Equal(198000, PaymentAmounts.For(Shijiazhuang, Rules, new YearMonth(2025, 8))!.BenefitFen);
    }

    [Fact]
    public void The_medical_insurance_contribution_follows_its_own_effective_dates()
    {
        Assert.Equal(22800, PaymentAmounts.For(Shijiazhuang, Rules, new YearMonth(2025, 7))!.MedicalFen);
        Assert.Equal(24000, PaymentAmounts.For(Shijiazhuang, Rules, new YearMonth(2025, 8))!.MedicalFen);
    }

    [Fact]
    public void A_month_before_any_standard_has_no_amount_rather_than_zero()
    {
        Assert.Null(PaymentAmounts.For(Shijiazhuang, Rules, new YearMonth(2022, 12)));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 6)]
    [InlineData(2, 9)]
    [InlineData(3, 12)]
    [InlineData(7, 12)]
    public void Survivors_pension_is_months_of_the_standard_by_dependants(int dependants, int months)
    {
        var death = PaymentAmounts.ForDeath(Shijiazhuang, Rules, new DateOnly(2025, 9, 3), dependants);

        Assert.Equal(months, death.PensionMonths);
        Assert.Equal(months * 198000L, death.SurvivorsPensionFen);
        Assert.Equal(80000, death.FuneralGrantFen);
    }

    [Fact]
    public void Survivors_pension_uses_the_standard_on_the_day_of_death()
    {
        Assert.Equal(6 * 176000L, PaymentAmounts.ForDeath(Shijiazhuang, Rules, new DateOnly(2025, 7, 14), 1).SurvivorsPensionFen);
        Assert.Equal(6 * 198000L, PaymentAmounts.ForDeath(Shijiazhuang, Rules, new DateOnly(2025, 7, 15), 1).SurvivorsPensionFen);
    }
}
