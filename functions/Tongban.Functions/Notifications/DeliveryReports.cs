using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Tongban.Hosting;
using Tongban.Storage;

namespace Tongban.Notifications;

/// <summary>What a batch of delivery reports did: reports <c>received</c>, <c>recorded</c> (a message's status changed), <c>duplicates</c> (already recorded, or older than the one recorded) and <c>unknown</c> (no message sent with that id).</summary>
public sealed record DeliveryReportResult(int Received, int Recorded, int Duplicates, int Unknown);

/// <summary>The Event Grid subscription handshake's answer.</summary>
public sealed record SubscriptionValidationResponse(string ValidationResponse);

/// <summary>
/// SMS delivery reports from Azure Communication Services, as Event Grid delivers them to a webhook
/// (<c>POST /api/v1/sms/delivery-reports?key=…</c>; issue 12, item 5). The body is an Event Grid array of events:
/// <list type="bullet">
/// <item><c>Microsoft.EventGrid.SubscriptionValidationEvent</c> (<c>data.validationCode</c>): the subscription handshake,
/// answered <c>200 { validationResponse }</c>;</item>
/// <item><c>Microsoft.Communication.SMSDeliveryReportReceived</c>: <c>data.messageId</c> (the id ACS gave the message
/// when it accepted it, stored then), <c>data.deliveryStatus</c> (Delivered, Failed, …; stored lower-case),
/// <c>data.deliveryStatusDetails</c>, <c>data.receivedTimestamp</c> (ISO 8601). Property names in either case (ACS sends
/// them PascalCase). Other event types are ignored.</item>
/// </list>
/// Authentication: Event Grid webhooks cannot sign in, so the subscription's endpoint URL carries a shared secret in the
/// query (<c>key</c>), compared in constant time with <c>Sms:DeliveryReportKey</c>; a wrong or missing key, or no key
/// configured, is a 401. All reports of a request are recorded in one transaction; a report for a message that already has
/// one as recent changes nothing (Event Grid delivers at least once). A report for an unknown message id may have
/// overtaken its message: the gateway accepted it, and the deliverer records the id a moment later (within
/// <c>Sms:RetryAfterSeconds</c>, 120, or the message is sent again). So while the report is younger than twice that, the
/// answer is <c>503</c> with <c>Retry-After: 10</c> — after the request's other reports are recorded — and Event Grid
/// delivers the batch again (after 10 s, 30 s, 1 min, …); an older one is counted and ignored, never retried for a day.
/// A bad body is a 400 naming the field (<c>[0].data.messageId</c>).
/// <para>
/// Statuses: ACS documents <c>deliveryStatus</c> as a string, not a closed list; its reports say <c>Delivered</c>, or
/// <c>Failed</c> / <c>Expired</c> when the carrier gave up. A status outside these (a new one, an intermediate one, a
/// typo) is recorded as reported — the SMS log shows what the gateway said — but read as neither: the message stays
/// unconfirmed, as if no report had come, and is listed as undelivered only once <c>Sms:UndeliveredAfterMinutes</c>
/// passes without a delivery (<see cref="UndeliveredMessages"/>). Rejecting such a report instead would make Event Grid
/// redeliver or dead-letter a batch over a word we do not know, and listing it at once would have staff call people
/// whose SMS may well have arrived; recording it loses nothing, and a later Delivered or Failed still settles it.
/// </para>
/// </summary>
public static class DeliveryReports
{
    public const string ValidationEvent = "Microsoft.EventGrid.SubscriptionValidationEvent";
    public const string DeliveryReportEvent = "Microsoft.Communication.SMSDeliveryReportReceived";

    /// <summary>The recorded status (lower-case) of a message that reached the phone.</summary>
    public const string Delivered = "delivered";

    /// <summary>The recorded statuses (lower-case) of a message the carrier gave up on: undelivered as soon as reported.</summary>
    public static readonly IReadOnlyList<string> NotDelivered = ["failed", "expired"];

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/sms/delivery-reports", ReceiveAsync).AllowAnonymous().WithName("ReceiveSmsDeliveryReports")
            .Produces<DeliveryReportResult>().Produces<SubscriptionValidationResponse>().ProducesValidationProblem()
            .WithSummary("ACS SMS delivery reports through an Event Grid webhook (shared secret in the key query parameter)");

    private sealed record Report(string MessageId, string Status, string? Detail, long At);

    private static async Task<IResult> ReceiveAsync(HttpContext http, Database database, SmsOptions options, TimeProvider clock,
        ILoggerFactory logs)
    {
        if (!Authorized(options.DeliveryReportKey, http.Request.Query["key"].ToString()))
            return Problems.Of(401, "Unauthorized", "The delivery-report endpoint needs the key configured as Sms:DeliveryReportKey, in the key query parameter.");
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
        }
        catch (JsonException e)
        {
            return Problems.Invalid("$", "Not valid JSON: " + e.Message.Split(" Path:")[0].Split(" LineNumber:")[0]);
        }
        using (document)
        {
            // Event Grid sends an array; a single event object is taken as an array of one.
            var events = document.RootElement.ValueKind switch
            {
                JsonValueKind.Array => document.RootElement.EnumerateArray().ToList(),
                JsonValueKind.Object => [document.RootElement],
                _ => null,
            };
            if (events is null) return Problems.Invalid("$", "An array of Event Grid events is required.");
            var reports = new List<Report>();
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                if (e.ValueKind != JsonValueKind.Object) return Problems.Invalid($"[{i}]", "An Event Grid event object is required.");
                var type = Text(e, "eventType");
                if (type is null) return Problems.Invalid($"[{i}].eventType", "Required.");
                var data = Property(e, "data") is { ValueKind: JsonValueKind.Object } d ? d : (JsonElement?)null;
                if (type == ValidationEvent)
                    return data is { } v && Text(v, "validationCode") is { Length: > 0 } code
                        ? TypedResults.Ok(new SubscriptionValidationResponse(code))
                        : Problems.Invalid($"[{i}].data.validationCode", "Required.");
                if (type != DeliveryReportEvent) continue;
                if (data is not { } report) return Problems.Invalid($"[{i}].data", "Required: an object.");
                if (Text(report, "messageId") is not { Length: > 0 } messageId) return Problems.Invalid($"[{i}].data.messageId", "Required: a string.");
                if (Text(report, "deliveryStatus") is not { Length: > 0 } status) return Problems.Invalid($"[{i}].data.deliveryStatus", "Required: a string.");
                if (!DateTimeOffset.TryParse(Text(report, "receivedTimestamp"), CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
                    return Problems.Invalid($"[{i}].data.receivedTimestamp", "Required: a date and time (ISO 8601).");
                var detail = Text(report, "deliveryStatusDetails");
                reports.Add(new Report(messageId, status.ToLowerInvariant(), detail is { Length: > 500 } ? detail[..500] : detail, at.ToUnixTimeMilliseconds()));
            }
            var (result, unknownSince) = await RecordAsync(database, reports, http.RequestAborted);
            var overtaken = clock.GetUtcNow().Add(-2 * options.RetryAfter).ToUnixTimeMilliseconds();
            if (unknownSince is { } youngest && youngest > overtaken)
            {
                http.Response.Headers.RetryAfter = "10";
                return Problems.Of(503, "Message not recorded yet",
                    "A report is for a message id not recorded yet: the message may have been accepted by the gateway moments ago. Deliver the events again.",
                    new Dictionary<string, object?> { ["recorded"] = result.Recorded, ["unknown"] = result.Unknown });
            }
            foreach (var status in reports.Select(r => r.Status).Distinct().Where(s => s != Delivered && !NotDelivered.Contains(s)))
                logs.CreateLogger(typeof(DeliveryReports).FullName!).LogWarning(
                    "SMS delivery status {Status} is not one Tongban knows: recorded, the message left unconfirmed", status);
            if (result.Unknown > 0) logs.CreateLogger(typeof(DeliveryReports).FullName!).LogWarning("{Unknown} SMS delivery report(s) for message ids no message was sent with", result.Unknown);
            return TypedResults.Ok(result);
        }
    }

    /// <summary>
    /// Records the reports in one transaction: a message's status is the latest report's by <c>receivedTimestamp</c>;
    /// the same report again, or an older one, changes nothing. Also returns the latest <c>receivedTimestamp</c> (Unix
    /// milliseconds) of the reports for unknown message ids, if any.
    /// </summary>
    private static Task<(DeliveryReportResult Result, long? UnknownSince)> RecordAsync(Database database, List<Report> reports, CancellationToken ct) =>
        reports.Count == 0
            ? Task.FromResult((new DeliveryReportResult(0, 0, 0, 0), (long?)null))
            : database.InTransactionAsync(async (c, t) =>
            {
                var (recorded, duplicates, unknown) = (0, 0, 0);
                long? unknownSince = null;
                foreach (var report in reports)
                {
                    var changed = await c.ExecuteAsync(
                        """
                        UPDATE notifications SET delivery_status = @Status, delivery_detail = @Detail, delivery_reported_at = @At
                        WHERE gateway_message_id = @MessageId AND (delivery_reported_at IS NULL OR delivery_reported_at < @At)
                        """, report, t);
                    if (changed > 0) recorded++;
                    else if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM notifications WHERE gateway_message_id = @MessageId", report, t) > 0)
                        duplicates++;
                    else
                    {
                        unknown++;
                        unknownSince = Math.Max(unknownSince ?? long.MinValue, report.At);
                    }
                }
                return (new DeliveryReportResult(reports.Count, recorded, duplicates, unknown), unknownSince);
            }, ct);

    private static bool Authorized(string? configured, string given) =>
        !string.IsNullOrEmpty(configured) && !string.IsNullOrEmpty(given)
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(configured)), SHA256.HashData(Encoding.UTF8.GetBytes(given)));

    /// <summary>A property by name in either case (Event Grid's envelope is camelCase; ACS's data PascalCase).</summary>
    private static JsonElement? Property(JsonElement element, string name)
    {
        foreach (var property in element.EnumerateObject())
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase)) return property.Value;
        return null;
    }

    private static string? Text(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;
}
