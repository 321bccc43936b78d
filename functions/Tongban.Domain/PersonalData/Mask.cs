namespace Tongban.Domain.PersonalData;

/// <summary>How personal data is shown anywhere outside the encrypted store (API, logs, SMS).</summary>
public static class Mask
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
}
