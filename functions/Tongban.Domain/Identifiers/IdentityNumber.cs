using System.Globalization;
using System.Text;

namespace Tongban.Domain.Identifiers;

/// <summary>
/// The identity documents a resident of the province may hold. All carry an 18-character number with the structure and
/// check character of GB 11643-1999; what tells them apart is how the number begins.
/// </summary>
public enum DocumentKind
{
    /// <summary><c>resident-id</c>: 居民身份证, a mainland resident's 公民身份号码; the first two digits are a province code.</summary>
    ResidentId,

    /// <summary><c>hk-macao-permit</c>: 港澳居民居住证 (国办发〔2018〕81号), address code 810000 (Hong Kong) or 820000 (Macao).</summary>
    HongKongMacaoPermit,

    /// <summary><c>taiwan-permit</c>: 台湾居民居住证 (国办发〔2018〕81号), address code 830000.</summary>
    TaiwanPermit,

    /// <summary>
    /// <c>foreign-permanent-resident</c>: 外国人永久居留身份证 in its 2023 form (国家移民管理局, issued from 2023-12-01):
    /// 9, the issuing province's two digits, a three-digit nationality code, birth date, sequence, check character.
    /// </summary>
    ForeignPermanentResident,
}

/// <summary>Sex as GB 11643 records it: the parity of the 17th character (odd: male).</summary>
public enum Sex { Male, Female }

/// <summary>A valid identity number in its canonical form, and what the number itself says of the person.</summary>
public sealed record IdentityDocument(string Number, DocumentKind Kind, DateOnly BirthDate, Sex Sex);

public static class DocumentKinds
{
    public static string Code(this DocumentKind kind) => kind switch
    {
        DocumentKind.ResidentId => "resident-id",
        DocumentKind.HongKongMacaoPermit => "hk-macao-permit",
        DocumentKind.TaiwanPermit => "taiwan-permit",
        DocumentKind.ForeignPermanentResident => "foreign-permanent-resident",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}

/// <summary>
/// Identity numbers (GB 11643-1999 and the documents built on it, <see cref="DocumentKind"/>). Every number is brought to
/// one canonical form by <see cref="Normalize"/> before anything compares, stores or hashes it, so that variants of one
/// number are one person.
/// </summary>
public static class IdentityNumber
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    // Province-level codes of GB/T 2260 (71: Taiwan). Only these two digits are checked: the four below them change as
    // regions are merged or renamed, and a number keeps its region code for life (a Chongwen, Beijing 110103 stays valid).
    private static readonly HashSet<string> Provinces =
    [
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71",
    ];

    /// <summary>
    /// The canonical form: compatibility characters folded (full-width digits and Ｘ become ASCII, NFKC), every space
    /// and invisible formatting character removed wherever it stands, <c>x</c> upper-cased.
    /// </summary>
    public static string Normalize(string? value)
    {
        var folded = (value ?? "").Normalize(NormalizationForm.FormKC);
        var canonical = new StringBuilder(folded.Length);
        foreach (var c in folded)
        {
            if (char.IsWhiteSpace(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format) continue;
            canonical.Append(char.ToUpperInvariant(c));
        }
        return canonical.ToString();
    }

    /// <summary>
    /// Normalises and checks a number: structure, document kind, birth date (a real day, from 1900, not after
    /// <paramref name="today"/>), check character. Returns null when valid, otherwise the reason in English.
    /// </summary>
    public static string? Validate(string? value, DateOnly today, out IdentityDocument? document)
    {
        document = null;
        var id = Normalize(value);
        if (id.Length != 18) return "must be 18 characters";
        for (var i = 0; i < 17; i++)
            if (!char.IsAsciiDigit(id[i])) return "the first 17 characters must be digits";
        if (!char.IsAsciiDigit(id[17]) && id[17] != 'X') return "the last character must be a digit or X";
        if (RegionError(id) is { } regionError) return regionError;
        var birthText = id.Substring(6, 8);
        // The invariant culture reads the Gregorian calendar; a Thai or Saudi server culture would not.
        if (!DateOnly.TryParseExact(birthText, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth))
            return $"the birth date {birthText[..4]}-{birthText[4..6]}-{birthText[6..]} (characters 7 to 14) is not a real date";
        if (birth.Year < 1900) return $"the birth date {birth:yyyy-MM-dd} (characters 7 to 14) is before 1900";
        if (birth > today) return $"the birth date {birth:yyyy-MM-dd} (characters 7 to 14) is in the future";
        if (CheckCharacter(id) != id[17]) return "the check character (the last) does not match the other 17";
        document = Read(id);
        return null;
    }

    /// <summary>What a number already validated and stored in canonical form says: its kind, birth date and sex.</summary>
    public static IdentityDocument Read(string valid) =>
        new(valid, KindOf(valid), BirthDate(valid), (valid[16] - '0') % 2 == 1 ? Sex.Male : Sex.Female);

    public static char CheckCharacter(string first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += (first17[i] - '0') * Weights[i];
        return CheckCharacters[sum % 11];
    }

    public static DateOnly BirthDate(string valid) => DateOnly.ParseExact(valid.Substring(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture);

    private static DocumentKind KindOf(string id) => id[0] == '9' ? DocumentKind.ForeignPermanentResident : id[..2] switch
    {
        "81" or "82" => DocumentKind.HongKongMacaoPermit,
        "83" => DocumentKind.TaiwanPermit,
        _ => DocumentKind.ResidentId,
    };

    private static string? RegionError(string id) => KindOf(id) switch
    {
        DocumentKind.ForeignPermanentResident when !Provinces.Contains(id.Substring(1, 2)) =>
            "a permanent residence card (first character 9) must carry a province code in characters 2 and 3",
        DocumentKind.HongKongMacaoPermit or DocumentKind.TaiwanPermit when id[2..6] != "0000" =>
            "a residence permit's address code is 810000, 820000 or 830000",
        DocumentKind.ResidentId when !Provinces.Contains(id[..2]) =>
            "the first two digits are not a province code (nor 81, 82, 83 of a residence permit, nor 9 of a permanent residence card)",
        _ => null,
    };
}
