namespace Tongban.Domain.Registry;

/// <summary>
/// The city of a contribution spell (参保地): a GB/T 2260 administrative division code. Only its structure is checked —
/// six digits under a province-level code — because people insured in other provinces are in the export too, and the
/// lower four digits change as divisions are merged and renamed while old spells keep the code they were paid under.
/// </summary>
public static class CityCode
{
    // Province-level codes of GB/T 2260: 71 Taiwan, 81 Hong Kong, 82 Macao.
    private static readonly HashSet<string> Provinces =
    [
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82",
    ];

    /// <summary>Null when <paramref name="code"/> is a division code, otherwise the reason in English.</summary>
    public static string? Validate(string code)
    {
        if (code.Length != 6 || !code.All(char.IsAsciiDigit)) return "6 digits (a GB/T 2260 administrative division code)";
        if (!Provinces.Contains(code[..2]))
            return "not an administrative division code: the first two digits must be a province (GB/T 2260: 11–15, 21–23, 31–37, 41–46, 50–54, 61–65, 71, 81, 82)";
        return null;
    }
}
