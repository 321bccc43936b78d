namespace Tongban.Domain.Tests;

public class YearMonthTests
{
    [Fact]
    public void Month_is_parsed_from_YYYY_MM()
    {
        var month = YearMonth.Parse("2026-11");

        Assert.Equal(2026, month.Year);
        Assert.Equal(11, month.Month);
        Assert.Equal("2026-11", month.ToString());
    }

    [Fact]
    public void Single_digit_month_is_written_with_a_leading_zero()
    {
        Assert.Equal("2027-03", new YearMonth(2027, 3).ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2026-1")]
    [InlineData("2026-13")]
    [InlineData("2026-00")]
    [InlineData("2026/11")]
    [InlineData("26-11")]
    [InlineData("2026-11-01")]
    [InlineData("+026-11")]
    [InlineData("2026--1")]
    [InlineData("1899-12")]
    public void Text_that_is_not_a_month_is_refused(string? text)
    {
        Assert.False(YearMonth.TryParse(text, out _));
    }

    [Fact]
    public void Parse_of_a_bad_month_throws_a_format_error()
    {
        Assert.Throws<FormatException>(() => YearMonth.Parse("2026-13"));
    }

    [Theory]
    [InlineData(13)]
    [InlineData(0)]
    public void Month_number_outside_one_to_twelve_cannot_be_constructed(int month)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new YearMonth(2026, month));
    }

    [Theory]
    [InlineData("2026-11", 2, "2027-01")]
    [InlineData("2026-11", 17, "2028-04")]
    [InlineData("2026-01", -1, "2025-12")]
    [InlineData("2026-11", -23, "2024-12")]
    [InlineData("2026-11", 0, "2026-11")]
    public void Adding_months_crosses_year_ends(string from, int months, string expected)
    {
        Assert.Equal(YearMonth.Parse(expected), YearMonth.Parse(from).AddMonths(months));
    }

    [Theory]
    [InlineData("2026-01", "2026-12", 12)]
    [InlineData("2026-11", "2026-11", 1)]
    [InlineData("2025-12", "2026-01", 2)]
    [InlineData("2016-11", "2026-10", 120)]
    public void Months_between_count_both_ends(string earlier, string later, int expected)
    {
        Assert.Equal(expected, YearMonth.Parse(later).MonthsSinceInclusive(YearMonth.Parse(earlier)));
    }

    [Fact]
    public void Months_compare_by_time_not_by_text()
    {
        var december = new YearMonth(2025, 12);
        var january = new YearMonth(2026, 1);

        Assert.True(december < january);
        Assert.True(january > december);
        Assert.True(january >= new YearMonth(2026, 1));
        Assert.True(december <= january);
        Assert.True(december.CompareTo(january) < 0);
        Assert.Equal(new YearMonth(2026, 1), january);
    }

    [Fact]
    public void Month_of_a_date_and_its_first_day()
    {
        var month = YearMonth.Of(new DateOnly(2026, 2, 28));

        Assert.Equal(new YearMonth(2026, 2), month);
        Assert.Equal(new DateOnly(2026, 2, 1), month.FirstDay);
    }
}
