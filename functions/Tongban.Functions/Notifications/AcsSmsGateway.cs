using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Tongban.Domain.Identifiers;
using Tongban.Domain.PersonalData;

namespace Tongban.Notifications;

/// <summary>
/// SMS through Azure Communication Services, spoken to over its REST API (Sms - Send, api-version 2021-03-07)
/// through an Azure.Core pipeline (retries, Entra ID tokens) — the Azure.Communication.Sms package does not
/// restore from our feed. ACS does not deliver to +86 numbers: a mainland deployment plugs a domestic SMS
/// gateway into <see cref="ISmsGateway"/>. This adapter is the port's Azure shape, and is for testing with
/// numbers outside the mainland.
/// </summary>
public sealed class AcsSmsGateway : ISmsGateway
{
    private const string ApiVersion = "2021-03-07";

    // The double slash is Microsoft's: it is the scope every ACS SDK asks for.
    private const string EntraScope = "https://communication.azure.com//.default";

    // ACS recognises a repeated request only while it still tracks the first one (five minutes after its
    // first-sent time, for the documented Repeatable Requests scheme) and refuses one whose first-sent is
    // older. A minute is left for clock skew and for the pipeline's own retries of the same body.
    private static readonly TimeSpan RepeatabilityWindow = TimeSpan.FromMinutes(4);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpPipeline _pipeline;
    private readonly Uri _sendUri;
    private readonly string _from;
    private readonly TimeProvider _clock;

    private AcsSmsGateway(Uri endpoint, string from, TimeProvider clock, HttpPipelinePolicy authentication, ClientOptions? options)
    {
        _sendUri = new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/sms?api-version=" + ApiVersion);
        _from = from;
        _clock = clock;
        _pipeline = HttpPipelineBuilder.Build(options ?? new SmsClientOptions(), authentication);
    }

    /// <summary>The resource's access key (base64), signed into every request: a test server, or a resource without Entra.</summary>
    public static AcsSmsGateway WithAccessKey(Uri endpoint, string from, string accessKey, TimeProvider clock, ClientOptions? options = null) =>
        new(endpoint, from, clock, new AccessKeyPolicy(Convert.FromBase64String(accessKey)), options);

    /// <summary>Entra ID: the function app's managed identity in Azure, a developer's sign-in locally.</summary>
    public static AcsSmsGateway WithTokenCredential(Uri endpoint, string from, TokenCredential credential, TimeProvider clock, ClientOptions? options = null) =>
        new(endpoint, from, clock, new BearerTokenAuthenticationPolicy(credential, EntraScope), options);

    public async Task<SmsReceipt> SendAsync(string mobile, string body, string messageKey, DateTimeOffset queuedAt, CancellationToken ct)
    {
        var recipient = Recipient(mobile, messageKey, queuedAt);
        var request = new SendRequest(_from, [recipient], body, new SendOptions(EnableDeliveryReport: true));

        using var message = _pipeline.CreateMessage();
        message.Request.Method = RequestMethod.Post;
        message.Request.Uri.Reset(_sendUri);
        message.Request.Headers.Add("Content-Type", "application/json");
        message.Request.Content = RequestContent.Create(JsonSerializer.SerializeToUtf8Bytes(request, Json));
        await _pipeline.SendAsync(message, ct);

        // Failures become the work item's last error, which administrators read: the number is masked there,
        // also where the service quotes it back.
        string Redact(string? text) => (text ?? "").Replace(recipient.To, Mask.Mobile(mobile)).Replace(mobile, Mask.Mobile(mobile));
        var response = message.Response;
        if (response.Status != 202)
            throw new RequestFailedException(response.Status, $"ACS refused the SMS request: {response.Status} {Redact(response.Content.ToString())}");
        // A 202 covers the request; each recipient has its own outcome (one recipient here). Throwing leaves the
        // work item to retry.
        var result = JsonSerializer.Deserialize<SendResponse>(response.Content.ToMemory().Span, Json)?.Value?.FirstOrDefault();
        if (result is not { Successful: true })
            throw new RequestFailedException(result?.HttpStatusCode ?? 0,
                $"ACS did not accept the SMS to {Mask.Mobile(mobile)}: " +
                (result is null ? "no result for the recipient" : $"{result.HttpStatusCode} {Redact(result.ErrorMessage)}"));
        return new SmsReceipt(result.MessageId, Delivered: false);
    }

    /// <summary>
    /// The recipient with its repeatability pair. While the message is young enough for ACS to recognise a
    /// repeat, every attempt sends the same pair (first-sent = when it was queued, id derived from the key and
    /// that time), so a retry after a lost response does not send the text twice. Past that window ACS can no
    /// longer tell a repeat and would refuse the old first-sent, so the attempt goes out as a new request
    /// (first-sent = now, a new id): a late retry may then duplicate a text whose first attempt did get through.
    /// </summary>
    private SmsRecipient Recipient(string mobile, string messageKey, DateTimeOffset queuedAt)
    {
        var now = _clock.GetUtcNow();
        var firstSent = (now - queuedAt < RepeatabilityWindow ? queuedAt : now).ToString("r", CultureInfo.InvariantCulture);
        return new SmsRecipient(E164(mobile), RequestId(messageKey + "\n" + firstSent), firstSent);
    }

    /// <summary>A name-based UUID (RFC 9562 version 8) from SHA-256 of the name: the same name, the same id.</summary>
    private static string RequestId(string name)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(name)).AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString("D");
    }

    // Stored mobiles are the 11 national digits; a number already in E.164 is passed on, for testing the
    // adapter with a number ACS can deliver to.
    private static string E164(string mobile) =>
        MobileNumber.TryNormalize(mobile, out var national) ? "+86" + national
        : Regex.IsMatch(mobile, @"^\+[1-9]\d{1,14}$") ? mobile
        : throw new ArgumentException($"{Mask.Mobile(mobile)} is neither a mainland mobile number nor in E.164 form.", nameof(mobile));

    private sealed class SmsClientOptions : ClientOptions
    {
        // A work item's lease is a minute: four tries must fit in it, where Azure.Core's default waits 100 s per try.
        public SmsClientOptions() => Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
    }

    private sealed record SendRequest(string From, IReadOnlyList<SmsRecipient> SmsRecipients, string Message, SendOptions SmsSendOptions);

    private sealed record SmsRecipient(string To, string RepeatabilityRequestId, string RepeatabilityFirstSent);

    // Delivery reports arrive through Event Grid at POST /api/v1/sms/delivery-reports (DeliveryReports), by the message id.
    private sealed record SendOptions(bool EnableDeliveryReport);

    private sealed record SendResponse(IReadOnlyList<SendResult>? Value);

    private sealed record SendResult(string? To, string? MessageId, int HttpStatusCode, string? RepeatabilityResult, bool Successful, string? ErrorMessage);

    /// <summary>
    /// ACS access-key authentication: an HMAC-SHA256, keyed with the decoded access key, over the verb, the path
    /// and query, and the x-ms-date, host and x-ms-content-sha256 values. A per-retry policy, so every attempt
    /// carries a fresh date.
    /// </summary>
    private sealed class AccessKeyPolicy(byte[] key) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message)
        {
            var request = message.Request;
            using var body = new MemoryStream();
            request.Content?.WriteTo(body, message.CancellationToken);
            var contentHash = Convert.ToBase64String(SHA256.HashData(body.ToArray()));
            var date = DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture);
            var uri = request.Uri.ToUri();
            var stringToSign = $"{request.Method.Method}\n{uri.PathAndQuery}\n{date};{uri.Authority};{contentHash}";
            var signature = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(stringToSign)));
            request.Headers.SetValue("x-ms-date", date);
            request.Headers.SetValue("x-ms-content-sha256", contentHash);
            request.Headers.SetValue("Authorization", $"HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={signature}");
        }
    }
}
