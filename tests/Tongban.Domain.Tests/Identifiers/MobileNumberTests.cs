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
    public void Number_outside_the_mainland_mobile_pattern_is_refused(string? input)
    {
        Assert.False(MobileNumber.TryNormalize(input, out var normalized));
        Assert.Equal("", normalized);
    }
}
