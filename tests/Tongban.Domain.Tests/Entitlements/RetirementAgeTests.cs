using Tongban.Domain.Entitlements;
using Tongban.Domain.Identifiers;

namespace Tongban.Domain.Tests.Entitlements;

/// <summary>Checked against the 对照表 of 国务院关于渐进式延迟职工法定退休年龄的办法 (2024).</summary>
public class RetirementAgeTests
{
    [Theory]
    [InlineData("1964-12-15", 60, 0, "2024-12")]
    [InlineData("1965-01-15", 60, 1, "2025-02")]
    [InlineData("1965-04-15", 60, 1, "2025-05")]
    [InlineData("1965-05-15", 60, 2, "2025-07")]
    [InlineData("1965-08-15", 60, 2, "2025-10")]
    [InlineData("1970-01-15", 61, 4, "2031-05")]
    [InlineData("1976-08-15", 62, 11, "2039-07")]
    [InlineData("1976-09-15", 63, 0, "2039-09")]
    [InlineData("1990-03-15", 63, 0, "2053-03")]
    public void Men_retire_one_month_later_per_four_months_of_birth_from_1965_until_63(string birth, int years, int months, string month)
    {
        var retirement = RetirementAge.For(DateOnly.Parse(birth), Sex.Male, WomanPost.Cadre);

        Assert.Equal((years, months), (retirement.Years, retirement.Months));
        Assert.Equal(YearMonth.Parse(month), retirement.Month);
    }

    [Theory]
    [InlineData("1969-12-15", 55, 0, "2024-12")]
    [InlineData("1970-01-15", 55, 1, "2025-02")]
    [InlineData("1970-05-15", 55, 2, "2025-07")]
    [InlineData("1981-08-15", 57, 11, "2039-07")]
    [InlineData("1981-09-15", 58, 0, "2039-09")]
    public void Women_in_cadre_posts_retire_one_month_later_per_four_months_from_1970_until_58(string birth, int years, int months, string month)
    {
        var retirement = RetirementAge.For(DateOnly.Parse(birth), Sex.Female, WomanPost.Cadre);

        Assert.Equal((years, months), (retirement.Years, retirement.Months));
        Assert.Equal(YearMonth.Parse(month), retirement.Month);
    }

    [Theory]
    [InlineData("1974-12-15", 50, 0, "2024-12")]
    [InlineData("1975-01-15", 50, 1, "2025-02")]
    [InlineData("1975-02-15", 50, 1, "2025-03")]
    [InlineData("1975-03-15", 50, 2, "2025-05")]
    [InlineData("1984-10-15", 54, 11, "2039-09")]
    [InlineData("1984-11-15", 55, 0, "2039-11")]
    public void Women_in_worker_posts_retire_one_month_later_per_two_months_from_1975_until_55(string birth, int years, int months, string month)
    {
        var retirement = RetirementAge.For(DateOnly.Parse(birth), Sex.Female, WomanPost.Worker);

        Assert.Equal((years, months), (retirement.Years, retirement.Months));
        Assert.Equal(YearMonth.Parse(month), retirement.Month);
    }

    [Fact]
    public void The_day_is_the_birthday_in_the_month_the_age_is_reached()
    {
        Assert.Equal(new DateOnly(2025, 2, 20), RetirementAge.For(new DateOnly(1965, 1, 20), Sex.Male, WomanPost.Worker).Date);
        // Born on 31 January: the month the age is reached has no 31st.
        Assert.Equal(new DateOnly(2025, 2, 28), RetirementAge.For(new DateOnly(1965, 1, 31), Sex.Male, WomanPost.Worker).Date);
    }
}
