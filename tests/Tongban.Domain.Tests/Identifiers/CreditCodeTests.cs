using Tongban.Domain.Identifiers;

namespace Tongban.Domain.Tests.Identifiers;

public class CreditCodeTests
{
    [Fact]
    public void Published_example_is_valid()
    {
        Assert.Equal(CreditCodeCheck.Valid, CreditCode.Check("91350100M000100Y43"));
    }

    [Theory]
    [InlineData("91350100M000100Y44")]
    [InlineData("91350100M000100Y4X")]
    [InlineData("91350100M000101Y43")]
    [InlineData("92350100M000100Y43")]
    public void Changed_character_is_a_check_mismatch_not_a_malformed_code(string code)
    {
        // Some early codes fail the check yet are real: they are flagged, so the two outcomes must differ.
        Assert.Equal(CreditCodeCheck.CheckCharacterMismatch, CreditCode.Check(code));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("91350100M000100Y4")]
    [InlineData("91350100M000100Y433")]
    [InlineData("91350100I000100Y43")]
    [InlineData("91350100O000100Y43")]
    [InlineData("91350100S000100Y43")]
    [InlineData("91350100V000100Y43")]
    [InlineData("91350100Z000100Y43")]
    [InlineData("91350100M00010-Y43")]
    [InlineData("91350100M000100Y4三")]
    public void Code_outside_the_alphabet_or_length_is_malformed(string? code)
    {
        Assert.Equal(CreditCodeCheck.Malformed, CreditCode.Check(code));
    }

    [Theory]
    [InlineData("91460100MA5T30QK0")]
    [InlineData("91130100MA0CX7GU4")]
    [InlineData("12100000400000624")]
    [InlineData("52440300MJL173521")]
    public void Code_whose_check_character_is_thirty_one_minus_the_weighted_sum_mod_thirty_one_is_valid(string body)
    {
        Assert.Equal(CreditCodeCheck.Valid, CreditCode.Check(body + Expected(body)));
    }

    [Fact]
    public void Lower_case_letters_are_read_as_upper_case()
    {
        Assert.Equal(CreditCodeCheck.Valid, CreditCode.Check("91350100m000100y43"));
    }

    private static char Expected(string body)
    {
        const string alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        int[] w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
        var sum = body.Select((c, i) => alphabet.IndexOf(c) * w[i]).Sum();
        return alphabet[(31 - sum % 31) % 31];
    }
}
