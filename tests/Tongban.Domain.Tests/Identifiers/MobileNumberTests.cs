using Tongban.Domain.Identifiers;

namespace Tongban.Domain.Tests.Identifiers;

public class MobileNumberTests
{
    [Theory]
    [InlineData("13800138000")]
    [InlineData("+8613800138000")]
    [InlineData("8613800138000")]
    [InlineData("19912345678")]
    public void National_number_is_kept_as_its_eleven_digits(string input)
    {
        Assert.True(MobileNumber.TryNormalize(input, out var normalized));
        Assert.Equal(input[^11..], normalized);
    }

    [Theory]
    [InlineData("008613800138000")]
    [InlineData("0086 138 0013 8000")]
    [InlineData("+86 138-0013-8000")]
    [InlineData("86-13800138000")]
    [InlineData("138 0013 8000")]
    [InlineData("138-0013-8000")]
    [InlineData("１３８００１３８０００")]
    [InlineData("＋８６　１３８００１３８０００")]
    [InlineData("\t13800138000\u00A0")]
    [InlineData("138\u20130013\u20138000")]
    public void Country_code_spaces_and_hyphens_normalise_to_the_eleven_digits(string written)
    {
        Assert.True(MobileNumber.TryNormalize(written, out var normalized), written);
        Assert.Equal("13800138000", normalized);
    }

    [Theory]
    [InlineData("130"), InlineData("131"), InlineData("132"), InlineData("133"), InlineData("134"), InlineData("135")]
    [InlineData("136"), InlineData("137"), InlineData("138"), InlineData("139")]
    [InlineData("145"), InlineData("146"), InlineData("147"), InlineData("148"), InlineData("149")]
    [InlineData("150"), InlineData("151"), InlineData("152"), InlineData("153"), InlineData("155"), InlineData("156")]
    [InlineData("157"), InlineData("158"), InlineData("159")]
    [InlineData("162"), InlineData("165"), InlineData("166"), InlineData("167")]
    [InlineData("170"), InlineData("171"), InlineData("172"), InlineData("173"), InlineData("174"), InlineData("175")]
    [InlineData("176"), InlineData("177"), InlineData("178")]
    [InlineData("180"), InlineData("181"), InlineData("182"), InlineData("183"), InlineData("184"), InlineData("185")]
    [InlineData("186"), InlineData("187"), InlineData("188"), InlineData("189")]
    [InlineData("190"), InlineData("191"), InlineData("192"), InlineData("193"), InlineData("195"), InlineData("196")]
    [InlineData("197"), InlineData("198"), InlineData("199")]
    public void Every_segment_carriers_assign_today_is_accepted(string segment)
    {
        Assert.True(MobileNumber.TryNormalize(segment + "12345678", out var normalized));
        Assert.Equal(segment + "12345678", normalized);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12800138000")]
    [InlineData("10800138000")]
    [InlineData("1380013800")]
    [InlineData("138001380000")]
    [InlineData("+8513800138000")]
    [InlineData("+86 1380013800")]
    [InlineData("0898-66123456")]
    [InlineData("1380013800a")]
    [InlineData("00813800138000")]
    [InlineData("008713800138000")]
    [InlineData("+86+8613800138000")]
    [InlineData("١٣٨٠٠١٣٨٠٠٠")]
    public void Number_outside_the_mainland_mobile_pattern_is_refused(string? input)
    {
        Assert.False(MobileNumber.TryNormalize(input, out var normalized));
        Assert.Equal("", normalized);
    }
}
