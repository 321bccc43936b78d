using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Tongban.Archive;

/// <summary>
/// The archive in an Azure Blob container, spoken to over the Blob REST API through an Azure.Core
/// pipeline (retries, logging, Entra ID tokens) — the Azure.Storage.Blobs package does not restore from
/// our feed. Shared Key is for Azurite; in Azure the app's managed identity signs in with Entra ID.
/// </summary>
public sealed class AzureBlobArchive : IArchive
{
    // A fixed service version: the string-to-sign and the error codes below are the ones documented for it.
    private const string ServiceVersion = "2021-08-06";

    private readonly HttpPipeline _pipeline;
    private readonly Uri _container;

    private AzureBlobArchive(Uri serviceUri, string container, HttpPipelinePolicy authentication, ClientOptions? options)
    {
        _container = new Uri(serviceUri.AbsoluteUri.TrimEnd('/') + "/" + Uri.EscapeDataString(container));
        _pipeline = HttpPipelineBuilder.Build(options ?? new ArchiveClientOptions(), authentication);
    }

    /// <summary>Account name and key: Azurite, or an account that still allows Shared Key.</summary>
    public static AzureBlobArchive WithSharedKey(Uri serviceUri, string container, string accountName, string accountKey, ClientOptions? options = null) =>
        new(serviceUri, container, new SharedKeyPolicy(accountName, Convert.FromBase64String(accountKey)), options);

    /// <summary>Entra ID: the function app's managed identity in Azure, a developer's sign-in locally.</summary>
    public static AzureBlobArchive WithTokenCredential(Uri serviceUri, string container, TokenCredential credential, ClientOptions? options = null) =>
        new(serviceUri, container, new BearerTokenAuthenticationPolicy(credential, "https://storage.azure.com/.default"), options);

    public async Task PutAsync(string path, Stream content, string contentType, CancellationToken ct)
    {
        // Put Blob needs the length up front and a retry must be able to resend the body from the start.
        var body = content;
        if (!content.CanSeek)
        {
            body = new MemoryStream();
            await content.CopyToAsync(body, ct);
            body.Position = 0;
        }
        var start = body.Position;
        try
        {
            var outcome = await PutBlobAsync(path, body, contentType, ct);
            if (outcome == PutOutcome.ContainerMissing)
            {
                // Created here rather than at start-up: in Azure the container comes from Bicep and the app's
                // role (Blob Data Contributor on that container) may not reach the account to create one.
                await CreateContainerAsync(ct);
                body.Position = start;
                outcome = await PutBlobAsync(path, body, contentType, ct);
            }
            if (outcome != PutOutcome.Stored) throw new ArchiveConflictException(path);
        }
        finally
        {
            if (!ReferenceEquals(body, content)) await body.DisposeAsync();
        }
    }

    public async Task<Stream?> OpenReadAsync(string path, CancellationToken ct)
    {
        using var message = _pipeline.CreateMessage();
        message.Request.Method = RequestMethod.Get;
        message.Request.Uri.Reset(BlobUri(path));
        message.Request.Headers.Add("x-ms-version", ServiceVersion);
        // Stream the body to the caller instead of buffering a whole payment file in memory.
        message.BufferResponse = false;
        await _pipeline.SendAsync(message, ct);
        return message.Response.Status switch
        {
            200 => message.ExtractResponseContent(),
            404 => null, // BlobNotFound and ContainerNotFound alike: nothing is archived there.
            _ => throw new RequestFailedException(message.Response),
        };
    }

    private enum PutOutcome { Stored, ContainerMissing, AlreadyExists }

    private async Task<PutOutcome> PutBlobAsync(string path, Stream body, string contentType, CancellationToken ct)
    {
        using var message = _pipeline.CreateMessage();
        message.Request.Method = RequestMethod.Put;
        message.Request.Uri.Reset(BlobUri(path));
        message.Request.Headers.Add("x-ms-version", ServiceVersion);
        message.Request.Headers.Add("x-ms-blob-type", "BlockBlob");
        // The service refuses to replace an existing blob: 409 BlobAlreadyExists, or 412 when the blob
        // appeared while this request was in flight.
        message.Request.Headers.Add("If-None-Match", "*");
        message.Request.Headers.Add("Content-Type", contentType);
        message.Request.Content = RequestContent.Create(body);
        try
        {
            await _pipeline.SendAsync(message, ct);
        }
        finally
        {
            // Disposing the message would dispose the body too, and the body may be the caller's stream.
            message.Request.Content = null;
        }
        var response = message.Response;
        var code = ErrorCode(response);
        return response.Status switch
        {
            201 => PutOutcome.Stored,
            404 when code == "ContainerNotFound" => PutOutcome.ContainerMissing,
            409 when code == "BlobAlreadyExists" => PutOutcome.AlreadyExists,
            412 => PutOutcome.AlreadyExists,
            _ => throw new RequestFailedException(response),
        };
    }

    private async Task CreateContainerAsync(CancellationToken ct)
    {
        using var message = _pipeline.CreateMessage();
        message.Request.Method = RequestMethod.Put;
        message.Request.Uri.Reset(new Uri(_container.AbsoluteUri + "?restype=container"));
        message.Request.Headers.Add("x-ms-version", ServiceVersion);
        await _pipeline.SendAsync(message, ct);
        // 409 ContainerAlreadyExists: another instance got there first, which is just as good.
        if (message.Response.Status is not (201 or 409)) throw new RequestFailedException(message.Response);
    }

    private Uri BlobUri(string path) =>
        new(_container.AbsoluteUri + "/" + string.Join('/', ArchivePath.Segments(path).Select(Uri.EscapeDataString)));

    private static string? ErrorCode(Response response) =>
        response.Headers.TryGetValue("x-ms-error-code", out var code) ? code : null;

    private sealed class ArchiveClientOptions : ClientOptions;

    /// <summary>
    /// Shared Key authorization for the Blob service (2009-09-19 and later): an HMAC-SHA256 over the
    /// verb, the standard headers, the x-ms-* headers and the resource, in that documented order.
    /// A per-retry policy, so every attempt carries a fresh x-ms-date.
    /// </summary>
    private sealed class SharedKeyPolicy(string accountName, byte[] key) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message)
        {
            var request = message.Request;
            request.Headers.SetValue("x-ms-date", DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture));
            var signature = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(StringToSign(request))));
            request.Headers.SetValue("Authorization", $"SharedKey {accountName}:{signature}");
        }

        private string StringToSign(Request request)
        {
            string Header(string name) => request.Headers.TryGetValue(name, out var value) ? value : "";
            // Since 2015-02-21 a zero Content-Length is signed as the empty string.
            var length = request.Content is not null && request.Content.TryComputeLength(out var n) && n > 0
                ? n.ToString(CultureInfo.InvariantCulture) : "";
            var builder = new StringBuilder()
                .Append(request.Method.Method.ToUpperInvariant()).Append('\n')
                .Append(Header("Content-Encoding")).Append('\n')
                .Append(Header("Content-Language")).Append('\n')
                .Append(length).Append('\n')
                .Append(Header("Content-MD5")).Append('\n')
                .Append(Header("Content-Type")).Append('\n')
                .Append('\n') // Date: empty because x-ms-date is sent.
                .Append(Header("If-Modified-Since")).Append('\n')
                .Append(Header("If-Match")).Append('\n')
                .Append(Header("If-None-Match")).Append('\n')
                .Append(Header("If-Unmodified-Since")).Append('\n')
                .Append(Header("Range")).Append('\n');
            foreach (var header in request.Headers
                         .Where(h => h.Name.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
                         .Select(h => (Name: h.Name.ToLowerInvariant(), Value: h.Value.Trim()))
                         .OrderBy(h => h.Name, StringComparer.Ordinal))
                builder.Append(header.Name).Append(':').Append(header.Value).Append('\n');

            // The resource is the account name, then the path exactly as encoded in the URI (for Azurite's
            // path-style URIs that path starts with the account name again), then each query parameter.
            var uri = request.Uri.ToUri();
            builder.Append('/').Append(accountName).Append(uri.AbsolutePath.Length > 0 ? uri.AbsolutePath : "/");
            var parameters = uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('=', 2))
                .GroupBy(p => Uri.UnescapeDataString(p[0]).ToLowerInvariant(), p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : "")
                .OrderBy(g => g.Key, StringComparer.Ordinal);
            foreach (var parameter in parameters)
                builder.Append('\n').Append(parameter.Key).Append(':').Append(string.Join(',', parameter.Order(StringComparer.Ordinal)));
            return builder.ToString();
        }
    }
}
