using Tongban.Domain.Identifiers;

namespace Tongban.Domain.Tests.Identifiers;

public class PersonNameTests
{
    private const string Dotted = "阿依古丽·买买提";

    private static readonly char[] Dots =
    [
        '\u002E', '\u00B7', '\u0387', '\u1427', '\u16EB', '\u2022', '\u2024', '\u2027',
        '\u2219', '\u22C5', '\u2E31', '\u30FB', '\u318D', '\uA78F', '\uFF0E', '\uFF65',
    ];

    public static TheoryData<string> DotVariants => new(Dots.Select(dot => "阿依古丽" + dot + "买买提"));

    [Theory]
    [MemberData(nameof(DotVariants))]
    public void Every_middle_dot_real_data_carry_becomes_U_00B7(string written)
    {
        Assert.Equal(Dotted, PersonName.Normalize(written));
        Assert.Equal('\u00B7', PersonName.Normalize(written)[4]);
    }

    [Fact]
    public void Every_variant_the_rule_lists_is_exercised()
    {
        Assert.Equal(PersonName.DotVariants.Order(), Dots.Select(dot => (int)dot).Order());
    }

    [Theory]
    [InlineData("  王小明  ", "王小明")]
    [InlineData("\u3000王小明\u3000", "王小明")]
    [InlineData("王\u3000\u3000小明", "王 小明")]
    [InlineData("John   Smith", "John Smith")]
    [InlineData("阿依古丽 · 买买提", Dotted)]
    [InlineData("阿依古丽\u3000・\u3000买买提", Dotted)]
    [InlineData("王\u200B小明\uFEFF", "王小明")]
    public void Spaces_of_either_width_are_trimmed_and_collapsed(string written, string expected)
    {
        Assert.Equal(expected, PersonName.Normalize(written));
    }

    [Theory]
    [InlineData("\U00020BB7祥云")]
    [InlineData("王\U0002A6A5")]
    [InlineData("张\uE000\uF8FF")]
    [InlineData("\uF900\uFA11")]
    [InlineData("Zoë Ñúñez")]
    public void Characters_outside_the_BMP_private_use_and_compatibility_ideographs_are_kept_as_they_are(string name)
    {
        Assert.Null(PersonName.Validate(name, out var normalized));
        Assert.Equal(name, normalized);
    }

    [Fact]
    public void A_dropped_dot_is_another_name()
    {
        Assert.NotEqual(PersonName.Normalize("阿依古丽买买提"), PersonName.Normalize("阿依古丽•买买提"));
    }

    [Fact]
    public void A_long_minority_name_is_admitted()
    {
        const string name = "阿不都热合曼·阿不都克力木·麦麦提图尔荪·阿不都热西提·阿不都瓦依提";

        Assert.Null(PersonName.Validate(name, out var normalized));
        Assert.Equal(name, normalized);
    }

    [Fact]
    public void The_limit_is_in_characters_so_a_name_of_wide_characters_reaches_it_exactly()
    {
        var atLimit = string.Concat(Enumerable.Repeat("\U00020BB7", PersonName.MaxCharacters));

        Assert.Null(PersonName.Validate(atLimit, out _));
        Assert.Contains("at most", PersonName.Validate(atLimit + "\U00020BB7", out _));
    }

    [Theory]
    [InlineData("王小明2", "digits")]
    [InlineData("王小明２", "digits")]
    [InlineData("", "required")]
    [InlineData("   ", "required")]
    [InlineData(null, "required")]
    [InlineData("王\u0007明", "U+0007")]
    [InlineData("王小明!", "U+0021")]
    [InlineData("·买买提", "begin and end")]
    [InlineData("阿依古丽·", "begin and end")]
    public void Names_no_register_holds_are_refused(string? written, string because)
    {
        Assert.Contains(because, PersonName.Validate(written, out _));
    }

    [Theory]
    [InlineData("O'Brien")]
    [InlineData("Jean-Pierre")]
    [InlineData("方〇")]
    [InlineData("王")]
    public void Apostrophes_hyphens_and_the_ideographic_zero_belong_in_names(string name)
    {
        Assert.Null(PersonName.Validate(name, out _));
    }
}
