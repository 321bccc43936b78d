using System.Globalization;

namespace Tongban.Domain;

/// <summary>A calendar month (YYYY-MM): benefit periods, contribution spells and payouts count in months.</summary>
public readonly record struct YearMonth : IComparable<YearMonth>
{
    private readonly int _index;

    private YearMonth(int index) => _index = index;

    public YearMonth(int year, int month)
    {
        if (year is < 1900 or > 9999 || month is < 1 or > 12)
            throw new ArgumentOutOfRangeException(nameof(month), $"{year}-{month} is not a month.");
        _index = year * 12 + month - 1;
    }

    public int Year => _index / 12;
    public int Month => _index % 12 + 1;

    public static YearMonth Of(DateOnly date) => new(date.Year, date.Month);

    public YearMonth AddMonths(int months) => new(_index + months);

    /// <summary>Months from <paramref name="earlier"/> to this month, counting both ends.</summary>
    public int MonthsSinceInclusive(YearMonth earlier) => _index - earlier._index + 1;

    public DateOnly FirstDay => new(Year, Month, 1);

    public DateOnly LastDay => FirstDay.AddMonths(1).AddDays(-1);

    public static bool TryParse(string? text, out YearMonth value)
    {
        value = default;
        if (text is null || text.Length != 7 || text[4] != '-') return false;
        if (!int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var y)) return false;
        if (!int.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m)) return false;
        if (y < 1900 || m is < 1 or > 12) return false;
        value = new YearMonth(y, m);
        return true;
    }

    public static YearMonth Parse(string text) =>
        TryParse(text, out var value) ? value : throw new FormatException($"'{text}' is not a month (YYYY-MM).");

    public int CompareTo(YearMonth other) => _index.CompareTo(other._index);
    public static bool operator <(YearMonth a, YearMonth b) => a._index < b._index;
    public static bool operator >(YearMonth a, YearMonth b) => a._index > b._index;
    public static bool operator <=(YearMonth a, YearMonth b) => a._index <= b._index;
    public static bool operator >=(YearMonth a, YearMonth b) => a._index >= b._index;

    public override string ToString() => $"{Year:D4}-{Month:D2}";
}
