using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Tongban.Tests.Notifications;

/// <summary>
/// The ACS SMS endpoint as documented (POST /sms?api-version=2021-03-07, learn.microsoft.com/rest/api/communication/sms/send),
/// on Kestrel at 127.0.0.1 on a port the OS picks. It checks what ACS checks of an access-key request —
/// the content hash against the raw body and the HMAC-SHA256 signature recomputed from the raw request — and
/// the body's shape, then answers 202 with one result per recipient. A repeated (request id, first-sent) pair
/// is answered from the first result without sending again, as the Repeatable Requests scheme promises.
/// </summary>
public sealed class AcsSmsServer : IAsyncDisposable
{
    public static readonly string AccessKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static readonly TimeSpan RepeatabilityTracked = TimeSpan.FromMinutes(5);

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Sent> _byRequestId = new();
    private readonly ConcurrentQueue<Sent> _sent = new();
    private int _attempts;
    private int _failuresToCome;
    private string? _refuseRecipient;

    private AcsSmsServer(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Every request that reached the server, valid or not.</summary>
    public int Attempts => _attempts;

    /// <summary>Texts handed to the carrier: one per accepted request, repeats not counted.</summary>
    public IReadOnlyList<Sent> Messages => [.. _sent];

    /// <summary>The next <paramref name="count"/> requests get 503 before anything is checked.</summary>
    public void FailNext(int count) => _failuresToCome = count;

    /// <summary>Requests to <paramref name="to"/> are answered 202 with that recipient unsuccessful, as for an invalid number.</summary>
    public void RefuseRecipient(string to) => _refuseRecipient = to;

    public static async Task<AcsSmsServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new AcsSmsServer(app);
        app.MapPost("/sms", (Func<HttpContext, Task<IResult>>)server.HandleAsync);
        await app.StartAsync();
        server.Endpoint = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return server;
    }

    public async Task WaitForMessageAsync(Func<Sent, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Messages.Any(match))
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"No matching SMS reached the server in {timeout}; it has {Messages.Count} after {Attempts} requests.");
            await Task.Delay(50);
        }
    }

    private async Task<IResult> HandleAsync(HttpContext http)
    {
        Interlocked.Increment(ref _attempts);
        if (Interlocked.Decrement(ref _failuresToCome) >= 0)
            return Results.Json(Error("ServiceUnavailable", "Try again."), statusCode: 503);

        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer);
        var raw = buffer.ToArray();
        if (Authenticate(http.Request, raw) is { } denied)
            return Results.Json(Error("Denied", denied), statusCode: 401);
        if (http.Request.Query["api-version"] != "2021-03-07")
            return Results.Json(Error("UnsupportedApiVersion", "api-version must be 2021-03-07."), statusCode: 400);
        if (!http.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) ?? true)
            return Results.Json(Error("UnsupportedMediaType", "Content-Type must be application/json."), statusCode: 415);

        List<SmsRecipient> recipients;
        string from, message;
        try
        {
            using var document = JsonDocument.Parse(raw);
            var body = document.RootElement;
            from = body.GetProperty("from").GetString()!;
            message = body.GetProperty("message").GetString()!;
            _ = body.GetProperty("smsSendOptions").GetProperty("enableDeliveryReport").GetBoolean();
            recipients = body.GetProperty("smsRecipients").EnumerateArray().Select(r => new SmsRecipient(
                r.GetProperty("to").GetString()!,
                r.TryGetProperty("repeatabilityRequestId", out var id) ? id.GetString() : null,
                r.TryGetProperty("repeatabilityFirstSent", out var first) ? first.GetString() : null)).ToList();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return Results.Json(Error("BadRequest", "The body is not a SendMessageRequest: " + e.Message), statusCode: 400);
        }
        if (recipients.Count is < 1 or > 100 || !IsE164(from) || message.Length > 2048)
            return Results.Json(Error("BadRequest", "from, smsRecipients or message is out of range."), statusCode: 400);

        return Results.Json(new { value = recipients.Select(r => Send(from, message, r)).ToList() }, statusCode: 202);
    }

    private object Send(string from, string message, SmsRecipient recipient)
    {
        object Failed(int status, string error, string? repeatability = null) => new
        {
            to = recipient.To, httpStatusCode = status, repeatabilityResult = repeatability, successful = false, errorMessage = error,
        };

        if (!IsE164(recipient.To)) return Failed(400, "Invalid To phone number format.");
        if (recipient.To == _refuseRecipient) return Failed(400, $"Recipient {recipient.To} is opted out or unreachable.");
        if (recipient.RequestId is null || recipient.FirstSent is null) return Failed(400, "This server expects repeatable requests.");
        if (recipient.RequestId.Length != 36 || !Guid.TryParseExact(recipient.RequestId, "D", out _))
            return Failed(400, "repeatabilityRequestId is not a 36-character UUID.", "rejected");
        if (!DateTimeOffset.TryParseExact(recipient.FirstSent, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var firstSent))
            return Failed(400, "repeatabilityFirstSent is not an IMF-fixdate.", "rejected");
        if (DateTimeOffset.UtcNow - firstSent > RepeatabilityTracked)
            return Failed(412, "repeatabilityFirstSent is outside the tracked window.", "rejected");

        var sent = _byRequestId.GetOrAdd(recipient.RequestId, _ =>
        {
            var fresh = new Sent(from, recipient.To, message, recipient.RequestId, recipient.FirstSent, "Outgoing_" + Guid.NewGuid().ToString("N"));
            _sent.Enqueue(fresh);
            return fresh;
        });
        if (sent.FirstSent != recipient.FirstSent || sent.To != recipient.To || sent.Message != message)
            return Failed(400, "A request with this repeatabilityRequestId was different.", "rejected");
        return new { to = recipient.To, messageId = sent.MessageId, httpStatusCode = 202, repeatabilityResult = "accepted", successful = true };
    }

    /// <summary>What ACS recomputes: the body hash, then the signature over verb, path and query, date, host and hash.</summary>
    private static string? Authenticate(HttpRequest request, byte[] raw)
    {
        var date = request.Headers["x-ms-date"].ToString();
        if (!DateTimeOffset.TryParseExact(date, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
            return "x-ms-date is missing or not an RFC 1123 date.";
        var contentHash = request.Headers["x-ms-content-sha256"].ToString();
        if (contentHash != Convert.ToBase64String(SHA256.HashData(raw)))
            return "x-ms-content-sha256 does not match the body.";
        const string prefix = "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=";
        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith(prefix, StringComparison.Ordinal)) return "Authorization is not an ACS HMAC-SHA256 header.";
        var stringToSign = $"{request.Method}\n{request.Path}{request.QueryString}\n{date};{request.Host.Value};{contentHash}";
        var expected = HMACSHA256.HashData(Convert.FromBase64String(AccessKey), Encoding.ASCII.GetBytes(stringToSign));
        var given = Convert.TryFromBase64String(authorization[prefix.Length..], new byte[32], out _)
            ? Convert.FromBase64String(authorization[prefix.Length..]) : [];
        return CryptographicOperations.FixedTimeEquals(expected, given) ? null : "Denied by the resource provider.";
    }

    private static bool IsE164(string number) => number.Length is >= 3 and <= 16 && number[0] == '+' && number[1..].All(char.IsAsciiDigit);

    private static object Error(string code, string message) => new { error = new { code, message } };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed record SmsRecipient(string To, string? RequestId, string? FirstSent);

    public sealed record Sent(string From, string To, string Message, string RequestId, string FirstSent, string MessageId);
}
