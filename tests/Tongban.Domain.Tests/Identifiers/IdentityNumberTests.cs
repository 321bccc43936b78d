using System.Globalization;
using Tongban.Domain.Identifiers;
using Tongban.Domain.Tests.Support;

namespace Tongban.Domain.Tests.Identifiers;

public class IdentityNumberTests
{
    private static readonly DateOnly Today = new(2026, 11, 22);

    [Fact]
    public void Published_example_is_valid()
    {
        var reason = IdentityNumber.Validate("11010519491231002X", Today, out var normalized);

        Assert.Null(reason);
        Assert.Equal("11010519491231002X", normalized);
    }

    [Fact]
    public void Lower_case_x_is_accepted_and_normalised_to_upper_case()
    {
        var reason = IdentityNumber.Validate(" 11010519491231002x ", Today, out var normalized);

        Assert.Null(reason);
        Assert.Equal("11010519491231002X", normalized);
    }

    [Theory]
    [InlineData("110105194912310020")]
    [InlineData("110105194912310021")]
    [InlineData("110105194912310029")]
    public void Wrong_check_character_is_rejected(string id)
    {
        var reason = IdentityNumber.Validate(id, Today, out _);

        Assert.NotNull(reason);
        Assert.Contains("check character", reason);
    }

    [Fact]
    public void A_changed_digit_no_longer_matches_the_check_character()
    {
        // 1949-12-30 is a real date: only the check character can catch the typo.
        var reason = IdentityNumber.Validate("11010519491230002X", Today, out _);

        Assert.NotNull(reason);
        Assert.Contains("check character", reason);
    }

    [Theory]
    [InlineData("19900230")]
    [InlineData("19900431")]
    [InlineData("19901301")]
    [InlineData("19900001")]
    [InlineData("19010229")]
    public void Birth_date_that_is_not_a_real_day_is_rejected(string birth)
    {
        var id = Gb11643.WithCheckCharacter("460100" + birth + "123");

        var reason = IdentityNumber.Validate(id, Today, out _);

        Assert.NotNull(reason);
        Assert.Contains("birth date", reason);
    }

    [Fact]
    public void Leap_day_in_a_leap_year_is_a_real_birth_date()
    {
        var id = Gb11643.WithCheckCharacter("46010020000229123");

        Assert.Null(IdentityNumber.Validate(id, Today, out _));
    }

    [Fact]
    public void Birth_date_in_the_future_is_rejected()
    {
        var id = Gb11643.WithCheckCharacter("46010020301231123");

        var reason = IdentityNumber.Validate(id, Today, out _);

        Assert.NotNull(reason);
        Assert.Contains("future", reason);
    }

    [Fact]
    public void Born_today_is_not_in_the_future()
    {
        var id = Gb11643.WithCheckCharacter("460100" + Today.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "123");

        Assert.Null(IdentityNumber.Validate(id, Today, out _));
    }

    [Theory]
    [InlineData("99")]
    [InlineData("00")]
    [InlineData("10")]
    public void Unknown_province_code_is_rejected(string province)
    {
        var id = Gb11643.WithCheckCharacter(province + "010019800101123");

        var reason = IdentityNumber.Validate(id, Today, out _);

        Assert.NotNull(reason);
        Assert.Contains("province", reason);
    }

    [Fact]
    public void Region_below_the_province_is_not_insisted_on()
    {
        // Region codes change; 469099 is not a current county, yet 46 is Hainan.
        var id = Gb11643.WithCheckCharacter("46909919800101123");

        Assert.Null(IdentityNumber.Validate(id, Today, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("11010519491231002")]
    [InlineData("11010519491231002XX")]
    [InlineData("110105194912310O2X")]
    [InlineData("X10105194912310021")]
    public void Malformed_input_is_rejected(string? id)
    {
        Assert.NotNull(IdentityNumber.Validate(id, Today, out _));
    }

    [Fact]
    public void Fifteen_digit_first_generation_numbers_are_rejected()
    {
        Assert.NotNull(IdentityNumber.Validate("110105491231002", Today, out _));
    }

    [Fact]
    public void Check_character_follows_the_weights_of_GB_11643()
    {
        Assert.Equal('X', IdentityNumber.CheckCharacter("11010519491231002"));
        Assert.Equal(Gb11643.WithCheckCharacter("46020019850615321")[17], IdentityNumber.CheckCharacter("46020019850615321"));
    }

    [Fact]
    public void Birth_date_is_read_from_characters_seven_to_fourteen()
    {
        Assert.Equal(new DateOnly(1949, 12, 31), IdentityNumber.BirthDate("11010519491231002X"));
    }

    [Theory]
    [InlineData("th-TH")]
    [InlineData("ar-SA")]
    [InlineData("zh-CN")]
    public void Birth_date_is_a_Gregorian_date_whatever_the_server_culture(string culture)
    {
        var original = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo(culture);

            Assert.Null(IdentityNumber.Validate("11010519491231002X", Today, out _));
            Assert.Equal(new DateOnly(1949, 12, 31), IdentityNumber.BirthDate("11010519491231002X"));
        }
        finally
        {
            CultureInfo.CurrentCulture = original;
        }
    }
}
