using Tongban.Domain.Province;
using Tongban.Domain.Tests.Support;

namespace Tongban.Domain.Tests.Province;

public class DurationScaleTests
{
    private readonly DurationScale _national = TestProvince.NationalScale();

    [Theory]
    [InlineData(0, 0)]
    [InlineData(11, 0)]
    [InlineData(12, 12)]
    [InlineData(59, 12)]
    [InlineData(60, 18)]
    [InlineData(119, 18)]
    [InlineData(120, 24)]
    [InlineData(360, 24)]
    public void National_scale_pays_twelve_eighteen_or_twenty_four_months(int contributionMonths, int benefitMonths)
    {
        Assert.Equal(benefitMonths, _national.BenefitMonthsFor(contributionMonths));
    }

    [Fact]
    public void Applicant_with_seven_years_gets_eighteen_months()
    {
        Assert.Equal(18, _national.BenefitMonthsFor(7 * 12));
    }

    [Fact]
    public void Minimum_contribution_is_the_lowest_step()
    {
        Assert.Equal(12, _national.MinimumContributionMonths);
    }

    [Fact]
    public void Finer_provincial_scale_applies_each_step_from_its_minimum()
    {
        // Xi'an-like: 3 months per year for years 1–4, then the national steps.
        var scale = new DurationScale(
            [new DurationStep(12, 3), new DurationStep(24, 6), new DurationStep(36, 9), new DurationStep(48, 12),
             new DurationStep(60, 18), new DurationStep(120, 24)], 24);

        Assert.Equal(0, scale.BenefitMonthsFor(11));
        Assert.Equal(3, scale.BenefitMonthsFor(23));
        Assert.Equal(9, scale.BenefitMonthsFor(40));
        Assert.Equal(12, scale.BenefitMonthsFor(59));
        Assert.Equal(18, scale.BenefitMonthsFor(60));
    }

    [Fact]
    public void Steps_may_be_listed_in_any_order()
    {
        var scale = new DurationScale([new DurationStep(120, 24), new DurationStep(12, 12), new DurationStep(60, 18)], 24);

        Assert.Equal(18, scale.BenefitMonthsFor(84));
        Assert.Equal(12, scale.MinimumContributionMonths);
    }
}
