using System.Text.RegularExpressions;

namespace Tongban.Domain.Identifiers;

/// <summary>Mainland mobile numbers, stored as the 11 national digits.</summary>
public static partial class MobileNumber
{
    [GeneratedRegex(@"^(?:\+?86)?(1[3-9]\d{9})$")]
    private static partial Regex Pattern();

    public static bool TryNormalize(string? value, out string normalized)
    {
        var match = Pattern().Match((value ?? "").Replace(" ", "").Replace("-", ""));
        normalized = match.Success ? match.Groups[1].Value : "";
        return match.Success;
    }
}
