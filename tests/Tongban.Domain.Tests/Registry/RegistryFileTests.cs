using Tongban.Domain.Registry;

namespace Tongban.Domain.Tests.Registry;

public class RegistryFileTests
{
    private const string Id = "46020019850315001X";
    private const string Employer = "914602000000000019";
    private static readonly YearMonth Start = new(2015, 1);

    [Fact]
    public void A_second_line_for_one_spell_is_refused_naming_the_first_even_when_identical()
    {
        var file = new RegistryFile();
        Assert.Empty(file.Admit(2, Id, "张三", "13800138000", "6217000010000000001", Employer, Start).Errors);

        var again = file.Admit(7, Id, "张三", "13800138000", "6217000010000000001", Employer, Start);

        var error = Assert.Single(again.Errors);
        Assert.StartsWith("duplicate: ", error);
        Assert.Contains("line 2", error);
    }

    [Fact]
    public void Another_spell_of_the_same_person_is_admitted_without_writing_the_person_again()
    {
        var file = new RegistryFile();
        var first = file.Admit(2, Id, "张三", "13800138000", "6217000010000000001", Employer, Start);

        var other = file.Admit(3, Id, "张三", "13800138000", "6217000010000000001", Employer, new YearMonth(2021, 1));

        Assert.True(first.FirstLineOfPerson);
        Assert.Empty(other.Errors);
        Assert.Empty(other.Warnings);
        Assert.False(other.FirstLineOfPerson);
    }

    [Fact]
    public void A_second_name_for_one_identity_number_is_refused_naming_name()
    {
        var file = new RegistryFile();
        file.Admit(2, Id, "张三", "13800138000", "", Employer, Start);

        var renamed = file.Admit(5, Id, "张叁", "13800138000", "", Employer, new YearMonth(2021, 1));

        Assert.StartsWith("name: ", Assert.Single(renamed.Errors));
        Assert.Contains("line 2", renamed.Errors[0]);
    }

    [Fact]
    public void A_refused_line_claims_nothing()
    {
        var file = new RegistryFile();
        file.Admit(2, Id, "张三", "", "", Employer, Start);
        file.Admit(3, Id, "张叁", "", "", Employer, new YearMonth(2021, 1));

        Assert.Empty(file.Admit(4, Id, "张三", "", "", Employer, new YearMonth(2021, 1)).Errors);
    }

    [Fact]
    public void Other_contacts_for_the_same_person_are_admitted_with_a_warning_per_field()
    {
        var file = new RegistryFile();
        file.Admit(2, Id, "张三", "13800138000", "6217000010000000001", Employer, Start);

        var moved = file.Admit(3, Id, "张三", "13900139000", "6217000010000000002", Employer, new YearMonth(2021, 1));

        Assert.Empty(moved.Errors);
        Assert.Equal(["mobile", "bankAccount"], moved.Warnings.Select(w => w[..w.IndexOf(':')]));
    }
}

public class CityCodeTests
{
    [Theory]
    [InlineData("460100")]
    [InlineData("460000")]
    [InlineData("469001")]
    [InlineData("440300")]
    [InlineData("110103")]
    [InlineData("650100")]
    [InlineData("710000")]
    [InlineData("810000")]
    [InlineData("820000")]
    public void A_division_of_any_province_is_a_city_code(string code) => Assert.Null(CityCode.Validate(code));

    [Theory]
    [InlineData("999999")]
    [InlineData("000000")]
    [InlineData("160100")]
    [InlineData("830000")]
    [InlineData("90100")]
    [InlineData("4601000")]
    [InlineData("46O100")]
    [InlineData("")]
    public void Anything_else_is_refused(string code) => Assert.NotNull(CityCode.Validate(code));
}

public class WorkingAgeTests
{
    private static readonly DateOnly Birth = new(2000, 6, 15);

    [Fact]
    public void A_spell_may_begin_in_the_month_of_the_sixteenth_birthday() =>
        Assert.Null(WorkingAge.SpellStartError(Birth, new YearMonth(2016, 6)));

    [Fact]
    public void A_spell_before_the_sixteenth_birthday_is_refused() =>
        Assert.StartsWith("before the person turned 16", WorkingAge.SpellStartError(Birth, new YearMonth(2016, 5)));

    [Fact]
    public void A_spell_before_birth_is_refused_as_such() =>
        Assert.StartsWith("before the person's birth", WorkingAge.SpellStartError(Birth, new YearMonth(2000, 5)));
}
