using Microsoft.Extensions.Configuration;
using Tongban.PersonalData;

namespace Tongban.Tests.Security;

/// <summary>
/// On a development machine without configured keys, the keys are generated into data/development-keys.txt. Instances
/// started at once on a new folder must end up with one set of keys: with two, the data one encrypted could never be
/// read again once the other's file replaced its keys.
/// </summary>
public sealed class DevelopmentKeysTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tongban-keys-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Instances_starting_at_once_on_a_new_folder_share_one_set_of_keys()
    {
        var configuration = new ConfigurationBuilder().Build();
        for (var round = 0; round < 10; round++)
        {
            var root = Path.Combine(_root, "round-" + round);
            using var start = new Barrier(6);
            var protectors = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() =>
            {
                start.SignalAndWait(TimeSpan.FromSeconds(10));
                return PersonalDataProtector.FromConfiguration(configuration, development: true, root);
            })));

            var sealedName = protectors[0].Encrypt("王小明");
            Assert.All(protectors, p => Assert.Equal("王小明", p.Decrypt(sealedName)));
            Assert.Single(protectors.Select(p => p.PersonKey("460100199001010011")).Distinct());
            Assert.Single(Directory.GetFiles(Path.Combine(root, "data")));
        }
    }

    [Fact]
    public void Outside_development_missing_keys_are_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            PersonalDataProtector.FromConfiguration(new ConfigurationBuilder().Build(), development: false, _root));

        Assert.Contains("PersonalData:EncryptionKey", error.Message);
    }
}
