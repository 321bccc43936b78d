using Tongban.Domain.CrossChecks;

namespace Tongban.Domain.Tests.CrossChecks;

public class ProvinceNamesTests
{
    [Theory]
    [InlineData("广东省", "广东省")]
    [InlineData("广东", "广东省")]
    [InlineData(" 浙江 ", "浙江省")]
    [InlineData("北京", "北京市")]
    [InlineData("内蒙古", "内蒙古自治区")]
    [InlineData("广西", "广西壮族自治区")]
    [InlineData("新疆维吾尔自治区", "新疆维吾尔自治区")]
    [InlineData("新疆", "新疆维吾尔自治区")]
    [InlineData("黑龙江", "黑龙江省")]
    [InlineData("香港", "香港特别行政区")]
    [InlineData("澳门特别行政区", "澳门特别行政区")]
    public void Full_names_and_short_forms_become_the_full_name(string given, string full) =>
        Assert.Equal(full, ProvinceNames.Canonical(given));

    [Theory]
    [InlineData("火星省")]
    [InlineData("广州市")]
    [InlineData("Guangdong")]
    [InlineData("内蒙")]
    [InlineData("")]
    public void A_name_that_is_no_province_level_division_is_refused(string given) => Assert.Null(ProvinceNames.Canonical(given));

    [Fact]
    public void There_are_34_province_level_divisions_each_with_its_own_short_form() =>
        Assert.Equal((34, 34), (ProvinceNames.All.Count, ProvinceNames.All.Select(p => ProvinceNames.Canonical(p)).Distinct().Count()));
}
