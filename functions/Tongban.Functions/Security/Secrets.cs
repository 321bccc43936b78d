using System.Security.Cryptography;
using System.Text;

namespace Tongban.Security;

/// <summary>API keys and bearer tokens are random and long: a SHA-256 of them is safe to store and fast to look up.</summary>
public static class Secrets
{
    public static string Hash(string secret) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static string NewToken() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
