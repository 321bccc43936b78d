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
        var reason = IdentityNumber.Validate("11010519491231002X", Today, out var document);

        Assert.Null(reason);
        Assert.Equal("11010519491231002X", document!.Number);
        Assert.Equal(DocumentKind.ResidentId, document.Kind);
        Assert.Equal(new DateOnly(1949, 12, 31), document.BirthDate);
        Assert.Equal(Sex.Female, document.Sex);
    }

    [Theory]
    [InlineData(" 11010519491231002x ")]
    [InlineData("110105 19491231 002X")]
    [InlineData("１１０１０５１９４９１２３１００２Ｘ")]
    [InlineData("１１０１０５１９４９１２３１００２ｘ")]
    [InlineData("\u3000110105\u300019491231002X\t")]
    [InlineData("1101\u200B0519491231002X")]
    public void Variants_of_one_number_normalise_to_one_canonical_form(string written)
    {
        var reason = IdentityNumber.Validate(written, Today, out var document);

        Assert.Null(reason);
        Assert.Equal("11010519491231002X", document!.Number);
        Assert.Equal("11010519491231002X", IdentityNumber.Normalize(written));
    }

    [Theory]
    [InlineData("110103", "崇文区, merged into 东城区 in 2010")]
    [InlineData("110104", "宣武区, merged into 西城区 in 2010")]
    [InlineData("310103", "卢湾区, merged into 黄浦区 in 2011")]
    [InlineData("460030", "a code never on any list")]
    public void Retired_region_codes_stay_valid_for_life(string region, string because)
    {
        var id = Gb11643.WithCheckCharacter(region + "19700101123");

        Assert.True(IdentityNumber.Validate(id, Today, out var document) is null, because);
        Assert.Equal(DocumentKind.ResidentId, document!.Kind);
    }

    [Theory]
    [InlineData("810000", DocumentKind.HongKongMacaoPermit)]
    [InlineData("820000", DocumentKind.HongKongMacaoPermit)]
    [InlineData("830000", DocumentKind.TaiwanPermit)]
    public void Residence_permits_of_Hong_Kong_Macao_and_Taiwan_residents_are_valid(string address, DocumentKind kind)
    {
        var id = Gb11643.WithCheckCharacter(address + "19880615123");

        Assert.Null(IdentityNumber.Validate(id, Today, out var document));
        Assert.Equal(kind, document!.Kind);
        Assert.Equal(new DateOnly(1988, 6, 15), document.BirthDate);
        Assert.Equal(Sex.Male, document.Sex);
    }

    [Theory]
    [InlineData("830100")]
    [InlineData("810001")]
    [InlineData("821000")]
    public void A_residence_permit_carries_only_its_address_code(string address)
    {
        var id = Gb11643.WithCheckCharacter(address + "19880615123");

        var reason = IdentityNumber.Validate(id, Today, out var document);

        Assert.Contains("810000, 820000 or 830000", reason);
        Assert.Null(document);
    }

    [Fact]
    public void Foreigners_permanent_residence_card_of_2023_is_valid()
    {
        // 9, issued in Guangdong (44), nationality code 840, born 1980-05-12, sequence 124 (even: female).
        var id = Gb11643.WithCheckCharacter("94484019800512124");

        Assert.Null(IdentityNumber.Validate(id, Today, out var document));
        Assert.Equal(DocumentKind.ForeignPermanentResident, document!.Kind);
        Assert.Equal(new DateOnly(1980, 5, 12), document.BirthDate);
        Assert.Equal(Sex.Female, document.Sex);
    }

    [Fact]
    public void A_permanent_residence_card_names_a_province_where_it_was_issued()
    {
        var id = Gb11643.WithCheckCharacter("99984019800512124");

        Assert.Contains("province code", IdentityNumber.Validate(id, Today, out _));
    }

    [Fact]
    public void The_impossible_leap_day_of_1900_is_refused_for_its_birth_date_not_its_check_character()
    {
        var id = Gb11643.WithCheckCharacter("46010019000229123");

        var reason = IdentityNumber.Validate(id, Today, out _);

        Assert.Contains("birth date 1900-02-29", reason);
        Assert.DoesNotContain("check character", reason);
    }

    [Fact]
    public void An_impossible_birth_date_is_named_even_when_the_check_character_is_also_wrong()
    {
        var id = Gb11643.WithCheckCharacter("46010019000229123");
        var wrongCheck = id[..17] + (id[17] == '1' ? '2' : '1');

        Assert.Contains("birth date", IdentityNumber.Validate(wrongCheck, Today, out _));
    }

    [Fact]
    public void The_kind_birth_date_and_sex_of_a_stored_number_are_read_back()
    {
        var document = IdentityNumber.Read(Gb11643.WithCheckCharacter("83000019750130457"));

        Assert.Equal(DocumentKind.TaiwanPermit, document.Kind);
        Assert.Equal(new DateOnly(1975, 1, 30), document.BirthDate);
        Assert.Equal(Sex.Male, document.Sex);
    }

    [Theory]
    [InlineData(DocumentKind.ResidentId, "resident-id")]
    [InlineData(DocumentKind.HongKongMacaoPermit, "hk-macao-permit")]
    [InlineData(DocumentKind.TaiwanPermit, "taiwan-permit")]
    [InlineData(DocumentKind.ForeignPermanentResident, "foreign-permanent-resident")]
    public void Document_kinds_have_the_contracts_codes(DocumentKind kind, string code)
    {
        Assert.Equal(code, kind.Code());
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

        var reason = IdentityNumber.Validate(id, Today, out var document);

        Assert.NotNull(reason);
        Assert.Contains("birth date", reason);
        Assert.Null(document);
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
