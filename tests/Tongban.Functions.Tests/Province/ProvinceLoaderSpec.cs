using Tongban.Domain.Entitlements;
using Tongban.Province;
using Tongban.Tests.Payouts;

namespace Tongban.Tests.Province;

/// <summary>Who qualifies where provinces decide is stated in each province file; a file that leaves it out does not start.</summary>
public sealed class ProvinceLoaderSpec
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tongban-province-").FullName;

    [Theory]
    [InlineData("hainan")]
    [InlineData("hebei")]
    public void Shipped_provinces_state_their_eligibility_rules(string province)
    {
        var rules = ProvinceLoader.Load(province).Eligibility;

        Assert.True(rules.MutualAgreementQualifies);
        Assert.Equal(WomanPost.Worker, rules.WomenRetirementPost);
    }

    [Fact]
    public void A_province_may_exclude_mutual_agreements_and_default_women_to_cadre_posts()
    {
        var path = ProvinceFiles.Write(_folder, "hainan", p =>
        {
            p["eligibility"]!["mutualAgreementQualifies"] = false;
            p["eligibility"]!["womenRetirementPost"] = "cadre";
        });

        var rules = ProvinceLoader.Load(path).Eligibility;

        Assert.False(rules.MutualAgreementQualifies);
        Assert.Equal(WomanPost.Cadre, rules.WomenRetirementPost);
    }

    [Fact]
    public void A_province_file_without_its_eligibility_rules_fails_with_the_reason()
    {
        var path = ProvinceFiles.Write(_folder, "hainan", p => p.AsObject().Remove("eligibility"));

        var failure = Assert.Throws<InvalidOperationException>(() => ProvinceLoader.Load(path));

        Assert.Contains("eligibility.mutualAgreementQualifies", failure.Message);
        Assert.Contains("eligibility.womenRetirementPost", failure.Message);
    }

    [Fact]
    public void An_unknown_post_is_refused()
    {
        var path = ProvinceFiles.Write(_folder, "hebei", p => p["eligibility"]!["womenRetirementPost"] = "manager");

        Assert.Contains("'manager' is not worker or cadre", Assert.Throws<InvalidOperationException>(() => ProvinceLoader.Load(path)).Message);
    }
}
