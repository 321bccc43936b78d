using System.Globalization;
using System.Text;

namespace Tongban.Domain.Identifiers;

/// <summary>
/// Personal names as registry, intake and comparison all read them: one normalisation (<see cref="Normalize"/>), one rule
/// (<see cref="Validate"/>), so that nothing is imported that could never apply and a name typed at a portal matches the
/// registry's however its dot or spaces were keyed.
/// <para>
/// Minority names (Uyghur, Kazakh, Tibetan and others, transcribed) separate their parts with the middle dot U+00B7 (间隔号,
/// GB/T 15834-2011 标点符号用法 4.14); data hold look-alikes for it (<see cref="DotVariants"/>). Characters outside the BMP
/// (CJK extensions B–H) and private-use characters (rare characters of the household registers) are kept as they are: no
/// Unicode normalisation form is applied, because NFC and NFKC rewrite CJK compatibility ideographs that people's names
/// are registered in. Lengths count characters (Unicode scalar values), not UTF-16 units.
/// </para>
/// </summary>
public static class PersonName
{
    public const char MiddleDot = '\u00B7';

    /// <summary>Characters, not UTF-16 units: long enough for transcribed minority names and foreigners' names in full.</summary>
    public const int MaxCharacters = 64;

    /// <summary>What real data carry for the middle dot: bullets, katakana and Greek dots, full stops and dot operators.</summary>
    public static readonly IReadOnlySet<int> DotVariants = new HashSet<int>
    {
        0x002E, // . full stop
        0x00B7, // · middle dot
        0x0387, // · Greek ano teleia
        0x1427, // ᐧ Canadian syllabics final middle dot
        0x16EB, // ᛫ runic single punctuation
        0x2022, // • bullet
        0x2024, // ․ one dot leader
        0x2027, // ‧ hyphenation point (Big5 input)
        0x2219, // ∙ bullet operator
        0x22C5, // ⋅ dot operator
        0x2E31, // ⸱ word separator middle dot
        0x30FB, // ・ katakana middle dot
        0x318D, // ㆍ Hangul letter araea
        0xA78F, // ꞏ Latin letter sinological dot
        0xFF0E, // ． full-width full stop
        0xFF65, // ･ half-width katakana middle dot
    };

    // Invisible characters that copying from documents leaves behind: zero-width space, word joiner, BOM, soft hyphen.
    private static readonly HashSet<int> Invisible = [0x200B, 0x2060, 0xFEFF, 0x00AD];

    /// <summary>
    /// Every dot variant becomes U+00B7; invisible leftovers are dropped; spaces of any width are trimmed, runs of them
    /// collapse to one ASCII space, and spaces beside a dot are dropped. Nothing else changes.
    /// </summary>
    public static string Normalize(string? value)
    {
        var result = new StringBuilder((value ?? "").Length);
        var pendingSpace = false;
        foreach (var rune in (value ?? "").EnumerateRunes())
        {
            if (Invisible.Contains(rune.Value)) continue;
            if (Rune.IsWhiteSpace(rune))
            {
                pendingSpace = result.Length > 0 && result[^1] != MiddleDot;
                continue;
            }
            if (DotVariants.Contains(rune.Value))
            {
                result.Append(MiddleDot);
                pendingSpace = false;
                continue;
            }
            if (pendingSpace) result.Append(' ');
            pendingSpace = false;
            result.Append(rune.ToString());
        }
        return result.ToString();
    }

    /// <summary>
    /// Normalises and checks a name: 1 to <see cref="MaxCharacters"/> characters of letters of any script (also outside the
    /// BMP), combining marks, letter numerals (〇), private-use characters, the middle dot, spaces, hyphens and
    /// apostrophes, beginning and ending with a letter. Digits are refused: no register holds a name with digits.
    /// Returns null when valid, otherwise the reason in English.
    /// </summary>
    public static string? Validate(string? value, out string normalized)
    {
        normalized = Normalize(value);
        if (normalized.Length == 0) return "required";
        var runes = normalized.EnumerateRunes().ToList();
        if (runes.Count > MaxCharacters) return $"at most {MaxCharacters} characters";
        foreach (var rune in runes)
        {
            if (Rune.IsDigit(rune)) return "must not contain digits";
            if (!IsNameCharacter(rune) && rune.Value is not (MiddleDot or ' ' or '-' or '\''))
                return $"must not contain U+{rune.Value:X4}";
        }
        if (!IsNameCharacter(runes[0]) || !IsNameCharacter(runes[^1])) return "must begin and end with a letter";
        return null;
    }

    private static bool IsNameCharacter(Rune rune) => Rune.GetUnicodeCategory(rune) is
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
        or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
        or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
        or UnicodeCategory.LetterNumber or UnicodeCategory.PrivateUse;
}
