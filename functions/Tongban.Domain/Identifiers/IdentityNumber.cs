using System.Globalization;

namespace Tongban.Domain.Identifiers;

/// <summary>公民身份号码 (GB 11643-1999): region, birth date, sequence, check character.</summary>
public static class IdentityNumber
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    // Province-level codes (first two digits of the region); region codes below that change too often to insist on.
    private static readonly HashSet<string> Provinces =
    [
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
        "71", "81", "82",
    ];

    /// <summary>Validates and normalises (upper-case X). Returns null when valid, otherwise the reason.</summary>
    public static string? Validate(string? value, DateOnly today, out string normalized)
    {
        normalized = (value ?? "").Trim().ToUpperInvariant();
        var id = normalized;
        if (id.Length != 18) return "must be 18 characters";
        for (var i = 0; i < 17; i++)
            if (!char.IsAsciiDigit(id[i])) return "the first 17 characters must be digits";
        if (!char.IsAsciiDigit(id[17]) && id[17] != 'X') return "the last character must be a digit or X";
        if (!Provinces.Contains(id[..2])) return "the first two digits are not a province code";
        // The invariant culture reads the Gregorian calendar; a Thai or Saudi server culture would not.
        if (!DateOnly.TryParseExact(id.Substring(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth)
            || birth.Year < 1900)
            return "the birth date is not a real date";
        if (birth > today) return "the birth date is in the future";
        if (CheckCharacter(id) != id[17]) return "the check character does not match";
        return null;
    }

    public static char CheckCharacter(string first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += (first17[i] - '0') * Weights[i];
        return CheckCharacters[sum % 11];
    }

    public static DateOnly BirthDate(string valid) => DateOnly.ParseExact(valid.Substring(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture);
}
