using Tongban.Domain.Calendar;
using Tongban.Domain.Province;

namespace Tongban.Domain.Tests.Support;

/// <summary>A Hainan-like province for tests: two cities, three offices, the national 12/18/24 scale.</summary>
public static class TestProvince
{
    public const long HaikouStandardFen = 183000;
    public const long SanyaStandardFen = 183000;

    public static readonly City Haikou = new("460100", "海口",
        [new Office("460100-01", "海口市社会保险服务中心", 4), new Office("460100-02", "海口市美兰区社保分中心", 2)],
        [new BenefitStandard(new DateOnly(2024, 1, 1), 176000), new BenefitStandard(new DateOnly(2025, 7, 1), HaikouStandardFen)]);

    public static readonly City Sanya = new("460200", "三亚",
        [new Office("460200-01", "三亚市社会保险服务中心", 3)],
        [new BenefitStandard(new DateOnly(2024, 1, 1), SanyaStandardFen)]);

    /// <summary>社会保险法 art. 46: ≥ 1 year 12 months, ≥ 5 years 18, ≥ 10 years 24, carry-over capped at 24.</summary>
    public static DurationScale NationalScale() =>
        new([new DurationStep(12, 12), new DurationStep(60, 18), new DurationStep(120, 24)], 24);

    public static ProvinceConfig Hainan(params City[] extraCities) =>
        new("46", "海南省", [Haikou, Sanya, .. extraCities], NationalScale(), new ReviewDeadlines(2, 10), Holidays.Calendar());
}

/// <summary>The State Council holiday notices as DOMAIN.md lists them.</summary>
public static class Holidays
{
    public static HolidayYear Year2025() => new(2025,
        Days(
            Range(2025, 1, 1, 1, 1), Range(2025, 1, 28, 2, 4), Range(2025, 4, 4, 4, 6),
            Range(2025, 5, 1, 5, 5), Range(2025, 5, 31, 6, 2), Range(2025, 10, 1, 10, 8)),
        Days(Range(2025, 1, 26, 1, 26), Range(2025, 2, 8, 2, 8), Range(2025, 4, 27, 4, 27),
            Range(2025, 9, 28, 9, 28), Range(2025, 10, 11, 10, 11)));

    public static HolidayYear Year2026() => new(2026,
        Days(
            Range(2026, 1, 1, 1, 3), Range(2026, 2, 15, 2, 23), Range(2026, 4, 4, 4, 6),
            Range(2026, 5, 1, 5, 5), Range(2026, 6, 19, 6, 21), Range(2026, 9, 25, 9, 27),
            Range(2026, 10, 1, 10, 7)),
        Days(Range(2026, 1, 4, 1, 4), Range(2026, 2, 14, 2, 14), Range(2026, 2, 28, 2, 28),
            Range(2026, 5, 9, 5, 9), Range(2026, 9, 20, 9, 20), Range(2026, 10, 10, 10, 10)));

    public static WorkingDayCalendar Calendar() => new([Year2025(), Year2026()]);

    private static IEnumerable<DateOnly> Range(int year, int fromMonth, int fromDay, int toMonth, int toDay)
    {
        for (var d = new DateOnly(year, fromMonth, fromDay); d <= new DateOnly(year, toMonth, toDay); d = d.AddDays(1))
            yield return d;
    }

    private static HashSet<DateOnly> Days(params IEnumerable<DateOnly>[] ranges) => [.. ranges.SelectMany(r => r)];
}
