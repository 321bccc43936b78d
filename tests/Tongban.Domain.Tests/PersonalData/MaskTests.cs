using Tongban.Domain.PersonalData;

namespace Tongban.Domain.Tests.PersonalData;

public class MaskTests
{
    [Fact]
    public void Identity_number_shows_only_its_first_and_last_four_characters()
    {
        Assert.Equal("1101**********002X", Mask.IdNumber("11010519491231002X"));
    }

    [Fact]
    public void Masked_identity_number_hides_the_birth_date()
    {
        Assert.DoesNotContain("19491231", Mask.IdNumber("11010519491231002X"));
    }

    [Theory]
    [InlineData("王五", "王*")]
    [InlineData("王小明", "王*")]
    [InlineData("欧阳娜娜", "欧*")]
    [InlineData("王", "王*")]
    public void Name_shows_only_its_first_character_and_hides_its_length(string name, string expected)
    {
        Assert.Equal(expected, Mask.Name(name));
    }

    [Theory]
    [InlineData("\U00020BB7祥云", "\U00020BB7*")]
    [InlineData("\uE000小明", "\uE000*")]
    [InlineData("阿依古丽·买买提", "阿*")]
    public void A_surname_outside_the_BMP_is_shown_whole_never_half_a_surrogate_pair(string name, string expected)
    {
        Assert.Equal(expected, Mask.Name(name));
    }

    [Fact]
    public void Mobile_shows_the_first_three_and_last_four_digits()
    {
        Assert.Equal("138****5678", Mask.Mobile("13812345678"));
    }

    [Fact]
    public void Bank_account_shows_only_its_last_four_digits()
    {
        Assert.Equal("***************4321", Mask.BankAccount("6217001234567894321"));
    }

    [Theory]
    [InlineData("1234")]
    [InlineData("12345678")]
    public void Values_too_short_to_mask_partly_are_masked_entirely(string value)
    {
        Assert.Equal(new string('*', value.Length), Mask.IdNumber(value));
        Assert.Equal(new string('*', value.Length), Mask.Mobile(value));
    }
}
