using Azure;
using Azure.Core;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Tongban.Archive;

/// <summary>
/// The archive in an Azure Blob container, through Azure.Storage.Blobs. Shared Key is for Azurite; in Azure
/// the app's managed identity signs in with Entra ID. The service URI carries the cloud, so Azure China
/// (<c>https://{account}.blob.core.chinacloudapi.cn</c>) needs nothing but its own Archive:BlobServiceUri.
/// </summary>
public sealed class AzureBlobArchive : IArchive
{
    private const int MiB = 1024 * 1024;

    // The SDK would buffer a content stream that cannot seek (a request body, a zip entry) up to 256 MiB to try
    // a single request. In 4 MiB blocks, at most 4 in flight, memory stays near 16 MiB whatever the file's size.
    private static readonly StorageTransferOptions DefaultTransfer = new()
    {
        InitialTransferSize = 4 * MiB, MaximumTransferSize = 4 * MiB, MaximumConcurrency = 4,
    };

    private readonly BlobContainerClient _container;
    private readonly StorageTransferOptions _transfer;

    // Set once this instance has seen the container exist (or made it); reset if it disappears.
    private volatile bool _containerSeen;

    /// <param name="transfer">Block size and parallelism of uploads; the default bounds memory as described above.</param>
    public AzureBlobArchive(BlobContainerClient container, StorageTransferOptions? transfer = null)
    {
        _container = container;
        _transfer = transfer ?? DefaultTransfer;
    }

    /// <summary>Account name and key: Azurite, or an account that still allows Shared Key.</summary>
    public static AzureBlobArchive WithSharedKey(Uri serviceUri, string container, string accountName, string accountKey, BlobClientOptions? options = null) =>
        new(new BlobServiceClient(serviceUri, new StorageSharedKeyCredential(accountName, accountKey), options ?? DefaultOptions())
            .GetBlobContainerClient(container));

    /// <summary>Entra ID: the function app's managed identity in Azure, a developer's sign-in locally.</summary>
    public static AzureBlobArchive WithTokenCredential(Uri serviceUri, string container, TokenCredential credential, BlobClientOptions? options = null) =>
        new(new BlobServiceClient(serviceUri, credential, options ?? DefaultOptions()).GetBlobContainerClient(container));

    // Pinned to the newest service version the pinned Azurite (tests/azurite, 3.37.0) accepts: the SDK's own
    // default is newer, and an Azurite started without --skipApiVersionCheck answers it with 400.
    private static BlobClientOptions DefaultOptions() => new(BlobClientOptions.ServiceVersion.V2026_06_06);

    /// <exception cref="ArchiveConflictException">Something is already stored at <paramref name="path"/>.</exception>
    /// <exception cref="RequestFailedException">Any other refusal by the service (authorization, throttling past the retries).</exception>
    public async Task PutAsync(string path, Stream content, string contentType, CancellationToken ct)
    {
        var blob = Blob(path);
        if (!_containerSeen) await EnsureContainerAsync(blob, ct);
        try
        {
            await blob.UploadAsync(content, new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
                // The service refuses to replace an existing blob: 409 BlobAlreadyExists, or 412 when the blob
                // appeared while this request was in flight. A large upload stages its blocks first and meets
                // the condition at the commit, so a refused one leaves only uncommitted blocks, which the
                // service discards; the stored content is untouched either way.
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                TransferOptions = _transfer,
            }, ct);
        }
        catch (RequestFailedException e) when ((e.Status == 409 && e.ErrorCode == BlobErrorCode.BlobAlreadyExists) || e.Status == 412)
        {
            throw new ArchiveConflictException(path);
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            // Deleted since this instance saw it: the caller's retry looks again and recreates it.
            _containerSeen = false;
            throw;
        }
    }

    /// <exception cref="RequestFailedException">The service refused for any reason other than nothing being there (e.g. 403 for a wrong key).</exception>
    public async Task<Stream?> OpenReadAsync(string path, CancellationToken ct)
    {
        try
        {
            // Streamed to the caller instead of buffering a whole payment file in memory; if the connection
            // drops mid-read the SDK resumes from the last byte it delivered, pinned to the blob's ETag.
            var download = await Blob(path).DownloadStreamingAsync(cancellationToken: ct);
            return download.Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null; // BlobNotFound and ContainerNotFound alike: nothing is archived there.
        }
    }

    /// <summary>
    /// Creates the container when it is missing, at the first write rather than at start-up: in Azure the
    /// container comes from Bicep and the app's role (Blob Data Contributor on that one container) cannot
    /// create containers, but it can ask about the blob it is about to write, and the answer tells a missing
    /// container (ContainerNotFound) from a missing blob. Asked before the upload, not after a failed one,
    /// because content that cannot seek could not be sent a second time.
    /// </summary>
    private async Task EnsureContainerAsync(BlobClient blob, CancellationToken ct)
    {
        try
        {
            await blob.GetPropertiesAsync(cancellationToken: ct);
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            // Another instance creating it at the same moment is just as good; CreateIfNotExists takes 409 as done.
            await _container.CreateIfNotExistsAsync(cancellationToken: ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // BlobNotFound: the container is there.
        }
        _containerSeen = true;
    }

    // ArchivePath first: '..' or an empty segment would name a different blob than the file on disk.
    private BlobClient Blob(string path)
    {
        ArchivePath.Segments(path);
        return _container.GetBlobClient(path);
    }
}
