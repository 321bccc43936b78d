using Tongban.Domain.Payouts;

namespace Tongban.Domain.Tests.Payouts;

public class DeductionsTests
{
    private static PayoutRules Share(int percent) => PayoutRules.Default with { MaxDeductionPercent = percent };

    [Fact]
    public void A_later_payment_gives_up_at_most_the_provinces_share()
    {
        var plan = Deductions.Plan(183000, Share(50), [new OpenRecovery("a", 500000)]);

        Assert.Equal([new Deduction("a", 91500)], plan);
    }

    [Fact]
    public void A_small_debt_is_taken_whole_and_no_more()
    {
        var plan = Deductions.Plan(183000, Share(50), [new OpenRecovery("a", 12345)]);

        Assert.Equal([new Deduction("a", 12345)], plan);
    }

    [Fact]
    public void The_oldest_case_is_recovered_first_and_the_rest_of_the_share_goes_to_the_next()
    {
        var plan = Deductions.Plan(100000, Share(50), [new OpenRecovery("old", 30000), new OpenRecovery("new", 90000)]);

        Assert.Equal([new Deduction("old", 30000), new Deduction("new", 20000)], plan);
        Assert.Equal(50000, plan.Sum(d => d.Fen));
    }

    [Fact]
    public void Shares_round_down_to_the_fen()
    {
        // 33% of 999.99 yuan is 329.9967 yuan: 329.99 is deducted, never a fraction of a fen more.
        Assert.Equal(32999, Deductions.Plan(99999, Share(33), [new OpenRecovery("a", 1_000_000)]).Single().Fen);
    }

    [Fact]
    public void No_share_means_no_deduction()
    {
        Assert.Empty(Deductions.Plan(183000, Share(0), [new OpenRecovery("a", 1000)]));
    }
}
