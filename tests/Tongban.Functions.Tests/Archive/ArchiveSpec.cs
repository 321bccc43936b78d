using System.Text;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Configuration;
using Tongban.Archive;

namespace Tongban.Tests.Archive;

/// <summary>What every archive adapter promises; each adapter runs it through a subclass.</summary>
public abstract class ArchiveSpec
{
    protected abstract IArchive CreateArchive();

    private static MemoryStream Text(string text) => new(Encoding.UTF8.GetBytes(text));

    private static async Task<string?> ReadAsync(IArchive archive, string path)
    {
        await using var stream = await archive.OpenReadAsync(path, CancellationToken.None);
        if (stream is null) return null;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    [Fact]
    public async Task Uploaded_content_downloads_unchanged()
    {
        var archive = CreateArchive();
        const string content = "身份证号,姓名,金额\n460200********0011,王*明,1890.00\n";

        await archive.PutAsync("payouts/2026-11/460200 三亚.csv", Text(content), "text/csv", CancellationToken.None);

        Assert.Equal(content, await ReadAsync(archive, "payouts/2026-11/460200 三亚.csv"));
    }

    [Fact]
    public async Task Second_put_to_the_same_path_is_refused_and_the_first_content_stays()
    {
        var archive = CreateArchive();
        await archive.PutAsync("cases/A-1/history.json", Text("first"), "application/json", CancellationToken.None);

        var refused = await Assert.ThrowsAsync<ArchiveConflictException>(() =>
            archive.PutAsync("cases/A-1/history.json", Text("second"), "application/json", CancellationToken.None));

        Assert.Equal("cases/A-1/history.json", refused.Path);
        Assert.Equal("first", await ReadAsync(archive, "cases/A-1/history.json"));
    }

    [Fact]
    public async Task Of_writers_racing_to_one_path_exactly_one_stores_and_the_rest_are_refused()
    {
        var archive = CreateArchive();
        const int writers = 8;
        for (var round = 0; round < 20; round++)
        {
            var path = $"payouts/2026-11/run-{round}/460200.csv";
            using var start = new Barrier(writers);
            var outcomes = await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
            {
                start.SignalAndWait(TimeSpan.FromSeconds(10));
                try
                {
                    await archive.PutAsync(path, Text("writer " + w), "text/csv", CancellationToken.None);
                    return "writer " + w;
                }
                catch (ArchiveConflictException)
                {
                    return null;
                }
            })));

            var stored = Assert.Single(outcomes, o => o is not null);
            Assert.Equal(stored, await ReadAsync(archive, path));
        }
    }

    [Fact]
    public async Task Missing_object_reads_as_null()
    {
        var archive = CreateArchive();
        await archive.PutAsync("exports/present.csv", Text("x"), "text/csv", CancellationToken.None);

        Assert.Null(await archive.OpenReadAsync("exports/absent.csv", CancellationToken.None));
        Assert.Null(await archive.OpenReadAsync("elsewhere/absent.csv", CancellationToken.None));
    }

    [Fact]
    public async Task Content_that_cannot_seek_is_stored_whole()
    {
        var archive = CreateArchive();
        var bytes = new byte[300_000];
        new Random(7).NextBytes(bytes);

        await archive.PutAsync("exports/large.bin", new ForwardOnlyStream(bytes), "application/octet-stream", CancellationToken.None);

        await using var stored = await archive.OpenReadAsync("exports/large.bin", CancellationToken.None);
        using var copy = new MemoryStream();
        await stored!.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Theory]
    [InlineData("../outside.csv")]
    [InlineData("payouts/../../outside.csv")]
    [InlineData("/absolute.csv")]
    [InlineData("payouts//double.csv")]
    [InlineData("payouts\\windows.csv")]
    public async Task Path_that_could_leave_the_archive_is_refused(string path)
    {
        var archive = CreateArchive();

        await Assert.ThrowsAsync<ArgumentException>(() => archive.PutAsync(path, Text("x"), "text/csv", CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => archive.OpenReadAsync(path, CancellationToken.None));
    }

    /// <summary>Like a request body or a zip entry: readable once, front to back.</summary>
    protected sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}

public sealed class FileSystemArchiveSpec : ArchiveSpec, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tongban-archive-").FullName;

    protected override IArchive CreateArchive() => new FileSystemArchive(Path.Combine(_folder, "archive"));

    [Fact]
    public async Task Nothing_is_written_outside_the_archive_folder()
    {
        var archive = CreateArchive();

        await Assert.ThrowsAsync<ArgumentException>(() =>
            archive.PutAsync("../escaped.csv", new MemoryStream([1]), "text/csv", CancellationToken.None));

        Assert.False(File.Exists(Path.Combine(_folder, "escaped.csv")));
    }

    [Fact]
    public void Default_folder_is_data_archive_under_the_content_root()
    {
        var configuration = new ConfigurationBuilder().Build();

        var archive = ArchiveRegistration.Create(configuration, _folder);

        Assert.IsType<FileSystemArchive>(archive);
        Assert.True(Directory.Exists(Path.Combine(_folder, "data", "archive")));
    }

    [Fact]
    public void Under_the_Functions_host_a_relative_folder_is_in_the_temp_folder_not_the_read_only_app_folder()
    {
        var relative = Path.Combine("tongban-tests", Guid.NewGuid().ToString("N"));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Hosting:FunctionsHost"] = "true", ["Archive:Path"] = relative,
        }).Build();
        try
        {
            ArchiveRegistration.Create(configuration, _folder);

            Assert.True(Directory.Exists(Path.Combine(Path.GetTempPath(), relative)));
            Assert.False(Directory.Exists(Path.Combine(_folder, relative)));
        }
        finally
        {
            Directory.Delete(Path.Combine(Path.GetTempPath(), "tongban-tests"), recursive: true);
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

public sealed class AzureBlobArchiveSpec(AzuriteFixture azurite) : ArchiveSpec, IClassFixture<AzuriteFixture>
{
    // A container of its own per test, so every test also covers creating the container at first use.
    protected override IArchive CreateArchive()
    {
        azurite.Require();
        return AzureBlobArchive.WithSharedKey(azurite.BlobServiceUri, "t" + Guid.NewGuid().ToString("N"),
            AzuriteFixture.AccountName, AzuriteFixture.AccountKey);
    }

    [Fact]
    public void Provider_setting_selects_the_blob_adapter_with_shared_key()
    {
        azurite.Require();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Archive:Provider"] = "azure-blob",
            ["Archive:BlobServiceUri"] = azurite.BlobServiceUri.ToString(),
            ["Archive:AccountName"] = AzuriteFixture.AccountName,
            ["Archive:AccountKey"] = AzuriteFixture.AccountKey,
        }).Build();

        Assert.IsType<AzureBlobArchive>(ArchiveRegistration.Create(configuration, Path.GetTempPath()));
    }

    [Fact]
    public async Task Content_larger_than_a_block_is_staged_block_by_block_and_still_written_once()
    {
        azurite.Require();
        var container = new BlobServiceClient(azurite.BlobServiceUri,
                new StorageSharedKeyCredential(AzuriteFixture.AccountName, AzuriteFixture.AccountKey))
            .GetBlobContainerClient("t" + Guid.NewGuid().ToString("N"));
        var archive = new AzureBlobArchive(container);
        var bytes = new byte[9 * 1024 * 1024];
        new Random(11).NextBytes(bytes);

        await archive.PutAsync("payouts/2026-11/large.csv", new ForwardOnlyStream(bytes), "text/csv", CancellationToken.None);
        await Assert.ThrowsAsync<ArchiveConflictException>(() =>
            archive.PutAsync("payouts/2026-11/large.csv", new ForwardOnlyStream(new byte[bytes.Length]), "text/csv", CancellationToken.None));

        // 4 + 4 + 1 MiB: a stream that cannot seek was read a block at a time, never held whole.
        var blocks = await container.GetBlockBlobClient("payouts/2026-11/large.csv")
            .GetBlockListAsync(BlockListTypes.Committed, cancellationToken: CancellationToken.None);
        Assert.Equal(3, blocks.Value.CommittedBlocks.Count());
        await using var stored = await archive.OpenReadAsync("payouts/2026-11/large.csv", CancellationToken.None);
        using var copy = new MemoryStream();
        await stored!.CopyToAsync(copy, CancellationToken.None);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public async Task Wrong_account_key_is_an_error_not_a_missing_blob()
    {
        azurite.Require();
        var archive = AzureBlobArchive.WithSharedKey(azurite.BlobServiceUri, "tongban", AzuriteFixture.AccountName,
            Convert.ToBase64String(new byte[64]));

        await Assert.ThrowsAsync<Azure.RequestFailedException>(() => archive.OpenReadAsync("any.csv", CancellationToken.None));
    }
}
