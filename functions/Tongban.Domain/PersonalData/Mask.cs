namespace Tongban.Domain.PersonalData;

/// <summary>How personal data is shown anywhere outside the encrypted store (API, logs, SMS).</summary>
public static class Mask
{
    public static string IdNumber(string id) =>
        id.Length <= 8 ? new string('*', id.Length) : id[..4] + new string('*', id.Length - 8) + id[^4..];

    /// <summary>The surname's first character and one star, whatever the length: the length says too much of a name.</summary>
    public static string Name(string name) => name.Length == 0 ? "*" : name[..1] + "*";

    public static string Mobile(string mobile) =>
        mobile.Length < 11 ? new string('*', mobile.Length) : mobile[..3] + "****" + mobile[^4..];

    public static string BankAccount(string account) =>
        account.Length <= 4 ? new string('*', account.Length) : new string('*', account.Length - 4) + account[^4..];
}
