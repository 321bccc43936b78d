using System.Text;

namespace Tongban.Domain.Identifiers;

/// <summary>
/// A bank card or account number as the core insurance system and families give it: 12 to 30 digits (银行卡号 are 16 to
/// 19, passbook and corporate accounts run longer), stored without the spaces people write them with.
/// </summary>
public static class BankAccountNumber
{
    /// <summary>Spaces and full-width digits folded (NFKC) and spaces removed; true when 12 to 30 ASCII digits remain.</summary>
    public static bool TryNormalize(string? value, out string normalized)
    {
        var folded = (value ?? "").Normalize(NormalizationForm.FormKC);
        normalized = string.Concat(folded.Where(c => !char.IsWhiteSpace(c)));
        var valid = normalized.Length is >= 12 and <= 30 && normalized.All(char.IsAsciiDigit);
        if (!valid) normalized = "";
        return valid;
    }
}
