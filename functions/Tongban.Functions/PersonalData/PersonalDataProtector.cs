using System.Security.Cryptography;
using System.Text;
using Tongban.Archive;

namespace Tongban.PersonalData;

/// <summary>
/// Encrypts personal data at rest (AES-GCM, 个人信息保护法 art. 51) and derives the keyed hash
/// (blind index) used to find a person without decrypting anyone.
/// </summary>
public sealed class PersonalDataProtector
{
    private const string Version = "v1:";
    private readonly byte[] _indexKey;

    /// <summary>
    /// One cipher per thread: <see cref="AesGcm"/> is not thread-safe, and setting up its key on every call took
    /// nearly half of each decryption of a bank file's million names and card accounts.
    /// </summary>
    private readonly ThreadLocal<AesGcm> _aes;

    public PersonalDataProtector(byte[] encryptionKey, byte[] indexKey)
    {
        if (encryptionKey.Length != 32 || indexKey.Length < 32)
            throw new ArgumentException("PersonalData keys must be 32 bytes (base64 in configuration).");
        var key = encryptionKey.ToArray();
        _aes = new ThreadLocal<AesGcm>(() => new AesGcm(key, 16));
        _indexKey = indexKey;
    }

    /// <summary>
    /// Keys from configuration (PersonalData:EncryptionKey, PersonalData:IndexKey, base64; Key Vault
    /// references in Azure). Only a development machine may fall back to keys generated into the data folder.
    /// </summary>
    public static PersonalDataProtector FromConfiguration(IConfiguration configuration, bool development, string contentRoot)
    {
        var encryption = configuration["PersonalData:EncryptionKey"];
        var index = configuration["PersonalData:IndexKey"];
        if (!string.IsNullOrEmpty(encryption) && !string.IsNullOrEmpty(index))
            return new PersonalDataProtector(Convert.FromBase64String(encryption), Convert.FromBase64String(index));
        if (!development)
            throw new InvalidOperationException("PersonalData:EncryptionKey and PersonalData:IndexKey must be configured.");
        var file = Path.Combine(contentRoot, "data", "development-keys.txt");
        if (!File.Exists(file))
        {
            // Two instances starting at once on a new folder: one set of keys wins and both read it, so neither
            // encrypts with a key the other overwrote.
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            // Start-up, before any request: waiting on the write here blocks nothing else.
            using var keys = new MemoryStream(Encoding.ASCII.GetBytes(
                Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n"));
            WriteOnceFile.TryCreateAsync(file, keys, CancellationToken.None).GetAwaiter().GetResult();
        }
        var lines = File.ReadAllLines(file);
        return new PersonalDataProtector(Convert.FromBase64String(lines[0]), Convert.FromBase64String(lines[1]));
    }

    public string Encrypt(string plaintext)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[12 + plain.Length + 16];
        var nonce = output.AsSpan(0, 12);
        RandomNumberGenerator.Fill(nonce);
        _aes.Value!.Encrypt(nonce, plain, output.AsSpan(12, plain.Length), output.AsSpan(12 + plain.Length, 16));
        return Version + Convert.ToBase64String(output);
    }

    public string Decrypt(string ciphertext)
    {
        if (!ciphertext.StartsWith(Version, StringComparison.Ordinal))
            throw new CryptographicException("Unknown ciphertext version.");
        var data = Convert.FromBase64String(ciphertext[Version.Length..]);
        var plain = new byte[data.Length - 28];
        _aes.Value!.Decrypt(data.AsSpan(0, 12), data.AsSpan(12, plain.Length), data.AsSpan(12 + plain.Length), plain);
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>The blind index of an identity number: the person's key everywhere in the store.</summary>
    public string PersonKey(string normalizedIdNumber) => Hash("person:" + normalizedIdNumber);

    /// <summary>
    /// A blind-index writer for one import: the same keys as <see cref="PersonKey"/>, but one HMAC set up once with the
    /// index key and reused for every number, without the per-call key set-up and byte arrays of the one-shot hash (a
    /// comparison file has millions of lines). Not thread-safe; dispose it after the import.
    /// </summary>
    public PersonKeyHasher CreatePersonKeyHasher() => new(_indexKey);

    /// <summary>A keyed fingerprint of values, to tell whether an import changes them without decrypting.</summary>
    public string Fingerprint(params string?[] values) => Hash("fp:" + string.Join('\u001f', values));

    private string Hash(string value) =>
        Convert.ToBase64String(HMACSHA256.HashData(_indexKey, Encoding.UTF8.GetBytes(value)));
}

/// <summary>
/// The blind index of many identity numbers in a row (<see cref="PersonalDataProtector.CreatePersonKeyHasher"/>): one
/// HMAC-SHA256 instance, its input and output on the stack.
/// </summary>
public sealed class PersonKeyHasher : IDisposable
{
    /// <summary>Longer than any canonical identity number (18 characters); the input buffer lives on the stack.</summary>
    private const int MaxNumberLength = 64;
    private readonly IncrementalHash _hmac;

    internal PersonKeyHasher(byte[] indexKey) => _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, indexKey);

    /// <summary>
    /// Writes the 32 bytes of a normalised number's blind index to <paramref name="hash"/>: the key of
    /// <see cref="PersonalDataProtector.PersonKey"/> is <see cref="Encode"/> of them.
    /// </summary>
    /// <exception cref="ArgumentException">More than 64 characters: not an identity number; or fewer than 32 bytes to write to.</exception>
    public void PersonKey(ReadOnlySpan<char> normalizedIdNumber, Span<byte> hash)
    {
        if (normalizedIdNumber.Length > MaxNumberLength) throw new ArgumentException("Not a normalised identity number.", nameof(normalizedIdNumber));
        Span<byte> input = stackalloc byte[7 + MaxNumberLength * 3];
        "person:"u8.CopyTo(input);
        var length = 7 + Encoding.UTF8.GetBytes(normalizedIdNumber, input[7..]);
        _hmac.AppendData(input[..length]);
        _hmac.GetHashAndReset(hash);
    }

    /// <summary>A blind index's 32 bytes as the store keeps them (base64).</summary>
    public static string Encode(ReadOnlySpan<byte> hash) => Convert.ToBase64String(hash);

    /// <summary>A stored blind index back to its 32 bytes; false when the text is not one.</summary>
    public static bool TryDecode(string personKey, Span<byte> hash) => Convert.TryFromBase64String(personKey, hash, out var written) && written == 32;

    public void Dispose() => _hmac.Dispose();
}
