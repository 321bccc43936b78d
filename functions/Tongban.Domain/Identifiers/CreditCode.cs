namespace Tongban.Domain.Identifiers;

public enum CreditCodeCheck { Valid, Malformed, CheckCharacterMismatch }

/// <summary>统一社会信用代码 (GB 32100-2015). Some early codes fail the check yet are real: callers flag, not reject.</summary>
public static class CreditCode
{
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    public static CreditCodeCheck Check(string? value)
    {
        var code = (value ?? "").Trim().ToUpperInvariant();
        if (code.Length != 18 || code.Any(c => Alphabet.IndexOf(c) < 0)) return CreditCodeCheck.Malformed;
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += Alphabet.IndexOf(code[i]) * Weights[i];
        var expected = Alphabet[(31 - sum % 31) % 31];
        return expected == code[17] ? CreditCodeCheck.Valid : CreditCodeCheck.CheckCharacterMismatch;
    }
}
