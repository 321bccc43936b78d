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

    [Fact]
    public void Free_text_keeps_only_the_last_four_characters_of_identity_and_card_numbers()
    {
        Assert.Equal("身份证号**************1006与银行卡***************0100不符",
            Mask.FreeText("身份证号460105199005171006与银行卡6217 8561 0000 0000 100不符"));
        Assert.Equal("证件 **************002X", Mask.FreeText("证件 11010519491231002X"));
    }

    [Fact]
    public void Free_text_keeps_counts_dates_amounts_and_the_office_phone_numbers()
    {
        const string opinion = "缴费11个月，金额1830.00元，请于2026年12月31日前联系0898-66123456或13800138000";
        Assert.Equal(opinion, Mask.FreeText(opinion));
    }

    [Fact]
    public void A_history_line_stores_what_staff_typed_with_the_numbers_masked()
    {
        var line = new Tongban.Domain.Claims.ClaimEvent("first-review-rejected", "r1", "460100-01", "身份证号460105199005171006不符");
        Assert.Equal("身份证号**************1006不符", line.Opinion);
        Assert.Null(new Tongban.Domain.Claims.ClaimEvent("submitted", "portal", null).Opinion);
    }
}
