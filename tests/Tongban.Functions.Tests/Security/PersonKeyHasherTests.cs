using System.Security.Cryptography;
using Tongban.PersonalData;
using Tongban.Tests.Infrastructure;

namespace Tongban.Tests.Security;

/// <summary>
/// The cross-check import's blind-index writer must give every identity number the key the rest of the store uses
/// (<see cref="PersonalDataProtector.PersonKey"/>): a key that differed would match nobody, silently.
/// </summary>
public sealed class PersonKeyHasherTests
{
    [Fact]
    public void Many_numbers_in_a_row_get_the_same_keys_as_the_store_and_a_stored_key_decodes_back()
    {
        var protector = new PersonalDataProtector(RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));
        using var hasher = protector.CreatePersonKeyHasher();
        Span<byte> hash = stackalloc byte[32];
        Span<byte> decoded = stackalloc byte[32];
        string[] numbers = [People.IdNumber(1, "460100", "19900101"), People.IdNumber(2, "460200", "19851231"), "H12345678", "身份证号"];
        foreach (var number in numbers)
        {
            hasher.PersonKey(number, hash);
            Assert.Equal(protector.PersonKey(number), PersonKeyHasher.Encode(hash));
            Assert.True(PersonKeyHasher.TryDecode(protector.PersonKey(number), decoded));
            Assert.True(decoded.SequenceEqual(hash));
        }
        Assert.False(PersonKeyHasher.TryDecode("not a key", decoded));
        Assert.Throws<ArgumentException>(() => hasher.PersonKey(new string('1', 65), new byte[32]));
    }
}
