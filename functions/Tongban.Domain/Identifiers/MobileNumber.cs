using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Tongban.Domain.Identifiers;

/// <summary>
/// Mainland mobile numbers, stored as the 11 national digits. The pattern is the numbering plan's (电信网编号计划, 工业和信息化部):
/// 1 and a second digit 3 to 9, so every segment carriers assign — 13x to 19x, 14x data numbers, 16x, 17x, 192 — is
/// accepted without a list of segments that would age with every new allocation.
/// </summary>
public static partial class MobileNumber
{
    [GeneratedRegex(@"^(?:\+86|0086|86)?(1[3-9][0-9]{9})$")]
    private static partial Regex Pattern();

    /// <summary>
    /// Full-width digits and ＋ folded (NFKC); spaces, dashes and invisible formatting characters removed; then an
    /// optional country code (+86, 0086, 86) and the 11 digits.
    /// </summary>
    public static bool TryNormalize(string? value, out string normalized)
    {
        var folded = (value ?? "").Normalize(NormalizationForm.FormKC);
        var digits = new StringBuilder(folded.Length);
        foreach (var c in folded)
        {
            if (char.IsWhiteSpace(c)) continue;
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.DashPunctuation or UnicodeCategory.Format) continue;
            digits.Append(c);
        }
        var match = Pattern().Match(digits.ToString());
        normalized = match.Success ? match.Groups[1].Value : "";
        return match.Success;
    }
}
