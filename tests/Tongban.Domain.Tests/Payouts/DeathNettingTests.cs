using Tongban.Domain.Payouts;

namespace Tongban.Domain.Tests.Payouts;

public class DeathNettingTests
{
    private static readonly YearMonth December = new(2026, 12), January = new(2027, 1);
    private static readonly FamilyPayment Grant = new("F", PaymentKind.FuneralGrant, 80000);
    private static readonly FamilyPayment Pension = new("S", PaymentKind.SurvivorsPension, 6 * 183000);

    [Fact]
    public void A_month_overpaid_after_the_death_is_taken_in_full_from_the_survivors_pension_and_nothing_is_owed()
    {
        var netting = DeathNetting.Net([new Overpayment("D", December, 183000)], [Grant, Pension]);

        Assert.Equal([new Netting("S", "D", 183000)], netting.Nettings);
        Assert.Equal(183000, netting.NettedFrom("S"));
        Assert.Equal(0, netting.NettedFrom("F"));
        Assert.Empty(netting.StillOwed);
        Assert.Equal(0, netting.OwedFen);
    }

    [Fact]
    public void The_funeral_grant_is_reduced_only_once_the_survivors_pension_is_used_up_and_the_rest_is_owed()
    {
        var netting = DeathNetting.Net([new Overpayment("D", December, 50000), new Overpayment("J", January, 100000)],
            [Grant, new FamilyPayment("S", PaymentKind.SurvivorsPension, 60000)]);

        Assert.Equal([new Netting("F", "D", 50000), new Netting("F", "J", 30000), new Netting("S", "J", 60000)],
            netting.Nettings.OrderBy(n => n.PaymentId).ThenBy(n => n.OverpaidPaymentId));
        Assert.Equal(140000, netting.NettedFen);
        Assert.Equal([new Overpayment("J", January, 10000)], netting.StillOwed);
    }

    [Fact]
    public void With_nothing_to_net_against_everything_is_owed()
    {
        var netting = DeathNetting.Net([new Overpayment("D", December, 183000)], []);

        Assert.Empty(netting.Nettings);
        Assert.Equal(183000, netting.OwedFen);
    }
}
