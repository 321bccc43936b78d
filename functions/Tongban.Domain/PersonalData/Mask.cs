using System.Text.RegularExpressions;

namespace Tongban.Domain.PersonalData;

/// <summary>How personal data is shown anywhere outside the encrypted store (API, logs, SMS).</summary>
public static partial class Mask
{
    public static string IdNumber(string id) =>
        id.Length <= 8 ? new string('*', id.Length) : id[..4] + new string('*', id.Length - 8) + id[^4..];

    /// <summary>
    /// The name's first character and one star, whatever the length: the length says too much of a name. A character is
    /// a whole Unicode scalar value, so a surname outside the BMP (𠮷) is shown whole, never half a surrogate pair.
    /// </summary>
    public static string Name(string name) =>
        name.Length == 0 ? "*" : System.Text.Rune.DecodeFromUtf16(name, out var first, out _) == System.Buffers.OperationStatus.Done
            ? first + "*"
            : "*";

    public static string Mobile(string mobile) =>
        mobile.Length < 11 ? new string('*', mobile.Length) : mobile[..3] + "****" + mobile[^4..];

    public static string BankAccount(string account) =>
        account.Length <= 4 ? new string('*', account.Length) : new string('*', account.Length - 4) + account[^4..];

    /// <summary>
    /// Text staff type (a review opinion, a reason): every run of 15 or more digits — an identity number (with its final
    /// X), a card or bank account, spaced or hyphenated — keeps only its last four characters, as
    /// <see cref="BankAccount"/> shows them. Shorter numbers stay: counts, dates, amounts and phone numbers, which in an
    /// opinion are how the office asks to be called ("请联系0898-66123456"). Applied where such text is stored
    /// (<see cref="Claims.ClaimEvent"/>; a match's decision and contest statement; a reveal's reason), so the history, the
    /// case archive and the SMS that quote it never hold the number.
    /// </summary>
    public static string FreeText(string text) =>
        LongNumber().Replace(text, m => BankAccount(m.Value.Replace(" ", "").Replace("-", "")));

    [GeneratedRegex(@"\d(?:[ -]?\d){14,}[Xx]?")]
    private static partial Regex LongNumber();
}
