using System.Net;
using System.Text;
using System.Text.Json;
using Dapper;
using Tongban.Storage;
using Tongban.Tests.Infrastructure;
using Tongban.Tests.Payouts;

namespace Tongban.Tests.Notifications;

/// <summary>
/// SMS delivery reports (issue 12, item 5) from Azure Communication Services through an Event Grid webhook, and the
/// staff's list of undelivered messages to people with an open case, on SQLite and PostgreSQL. 林一 (Haikou) applies at a
/// Haikou counter and is told by SMS that it was received; the local sink marks it delivered; the reports that follow
/// are the gateway's.
/// </summary>
public abstract class DeliveryReportSpec(Store store) : IAsyncLifetime
{
    private const string Key = "event-grid-secret";
    private static readonly Person Lin = new(801, "林一", "460100", "460100");
    private PayoutDriver _d = null!;
    private string _application = "";
    private string _caseNumber = "";
    private string _messageId = "";

    public async ValueTask InitializeAsync()
    {
        _d = await PayoutDriver.StartAsync(store, new DateTimeOffset(2026, 11, 10, 9, 0, 0, PayoutDriver.China),
            $"--Sms:DeliveryReportKey={Key}", "--Sms:UndeliveredAfterMinutes=60");
        await _d.ImportAsync(Lin.Spell());
        var response = await _d.App.Portal.SubmitAsync(new
        {
            serviceItem = "unemployment-benefit", channel = "counter", acceptingOffice = "460100-01",
            applicant = new { idNumber = Lin.IdNumber, name = Lin.Name, mobile = Lin.Mobile },
        });
        var body = await response.JsonAsync();
        _application = body.GetProperty("applicationId").GetString()!;
        _caseNumber = body.GetProperty("caseNumber").GetString()!;
        await _d.App.Portal.WaitForStatusAsync(_application, "first-review");
        await _d.SmsAsync(_application, "received");
        await using var c = await Database.OpenAsync(TestContext.Current.CancellationToken);
        _messageId = await c.ExecuteScalarAsync<string>(
            "SELECT gateway_message_id FROM notifications WHERE application_id = @_application AND template = 'received'", new { _application }) ?? "";
    }

    public async ValueTask DisposeAsync() => await _d.DisposeAsync();

    private Database Database => _d.App.Services.GetRequiredService<Database>();

    /// <summary>The app's clock (Tuesday 10 November 2026, 09:00 China time).</summary>
    private DateTimeOffset Now => _d.App.Services.GetRequiredService<TimeProvider>().GetUtcNow();

    private static object Report(string messageId, string status, DateTimeOffset at) => new
    {
        id = Guid.NewGuid().ToString(), topic = "/subscriptions/x/resourceGroups/y/providers/Microsoft.Communication/communicationServices/z",
        subject = "/phonenumber/15555555555", eventType = "Microsoft.Communication.SMSDeliveryReportReceived", dataVersion = "1.0",
        eventTime = at.ToString("O"),
        data = new { MessageId = messageId, From = "15555555555", To = "+8613900000801", DeliveryStatus = status,
                     DeliveryStatusDetails = status == "Failed" ? "No route to destination" : "No error.", ReceivedTimestamp = at.ToString("O") },
    };

    private Task<HttpResponseMessage> PostAsync(object events, string? key = Key) =>
        _d.App.Anonymous.PostAsync("/api/v1/sms/delivery-reports" + (key is null ? "" : $"?key={key}"),
            new StringContent(JsonSerializer.Serialize(events), Encoding.UTF8, "application/json"));

    private async Task<JsonElement> ReceivedSmsAsync() =>
        (await _d.Admin.GetJsonAsync($"/api/v1/admin/notifications?applicationId={_application}")).EnumerateArray()
            .Single(n => n.GetProperty("template").GetString() == "received");

    private async Task<List<JsonElement>> UndeliveredAsync(string username)
    {
        using var staff = await _d.App.StaffAsync(username);
        return (await staff.GetJsonAsync("/api/v1/notifications/undelivered")).EnumerateArray().ToList();
    }

    [Fact]
    public async Task The_event_grid_handshake_is_answered_with_the_validation_code_and_only_with_the_key()
    {
        var handshake = new[] { new { id = "1", eventType = "Microsoft.EventGrid.SubscriptionValidationEvent", data = new { validationCode = "512d38b6-c7b8-40c8-89fe-f46f9e9622b6" } } };

        var answer = await PostAsync(handshake);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("512d38b6-c7b8-40c8-89fe-f46f9e9622b6", (await answer.JsonAsync()).GetProperty("validationResponse").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(handshake, key: null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(handshake, key: "wrong")).StatusCode);
    }

    [Fact]
    public async Task The_local_sink_marks_delivered_a_failure_report_lists_the_case_for_its_office_and_city_masked_and_a_delivery_clears_it()
    {
        Assert.Equal("delivered", (await ReceivedSmsAsync()).GetProperty("deliveryStatus").GetString());
        Assert.Empty(await UndeliveredAsync("460100-01-r1"));

        var failed = await PostAsync(new[] { Report(_messageId, "Failed", DateTimeOffset.UtcNow.AddMinutes(1)) });
        Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        Assert.Equal(1, (await failed.JsonAsync()).GetProperty("recorded").GetInt32());
        var sms = await ReceivedSmsAsync();
        Assert.Equal("failed", sms.GetProperty("deliveryStatus").GetString());
        Assert.Equal("No route to destination", sms.GetProperty("deliveryDetail").GetString());

        var listed = Assert.Single(await UndeliveredAsync("460100-01-r1"));
        Assert.Equal(_caseNumber, listed.GetProperty("caseNumber").GetString());
        Assert.Equal("林*", listed.GetProperty("name").GetString());
        Assert.Equal("139****0801", listed.GetProperty("to").GetString());
        Assert.Equal("received", listed.GetProperty("template").GetString());
        Assert.Single(await UndeliveredAsync("460100-sup"));
        Assert.Single(await UndeliveredAsync("admin"));
        Assert.Empty(await UndeliveredAsync("460100-02-r1"));
        Assert.Empty(await UndeliveredAsync("460200-sup"));
        Assert.DoesNotContain(Lin.IdNumber, await (await _d.Admin.GetAsync("/api/v1/notifications/undelivered")).Content.ReadAsStringAsync());

        var delivered = await PostAsync(new[] { Report(_messageId, "Delivered", DateTimeOffset.UtcNow.AddMinutes(2)) });
        Assert.Equal(1, (await delivered.JsonAsync()).GetProperty("recorded").GetInt32());
        Assert.Empty(await UndeliveredAsync("460100-01-r1"));
    }

    [Fact]
    public async Task A_report_twice_or_an_older_one_changes_nothing_and_an_unknown_message_is_counted_and_ignored()
    {
        var at = DateTimeOffset.UtcNow.AddMinutes(1);
        var first = await (await PostAsync(new[] { Report(_messageId, "Failed", at) })).JsonAsync();
        Assert.Equal(1, first.GetProperty("recorded").GetInt32());

        var again = await PostAsync(new[] { Report(_messageId, "Failed", at), Report(_messageId, "Delivered", at.AddMinutes(-5)), Report("Outgoing_unknown", "Delivered", Now.AddMinutes(-5)) });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var result = await again.JsonAsync();
        Assert.Equal(3, result.GetProperty("received").GetInt32());
        Assert.Equal(0, result.GetProperty("recorded").GetInt32());
        Assert.Equal(2, result.GetProperty("duplicates").GetInt32());
        Assert.Equal(1, result.GetProperty("unknown").GetInt32());
        Assert.Equal("failed", (await ReceivedSmsAsync()).GetProperty("deliveryStatus").GetString());
    }

    [Fact]
    public async Task A_report_that_overtook_its_message_is_asked_again_and_recorded_once_the_message_id_is()
    {
        // The gateway accepted a message and reported its delivery before the deliverer recorded the id.
        var report = Report("Outgoing_overtaken", "Failed", Now.AddSeconds(5));
        var early = await PostAsync(new[] { report, Report(_messageId, "Failed", Now.AddSeconds(5)) });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, early.StatusCode);
        Assert.Equal("10", early.Headers.GetValues("Retry-After").Single());
        Assert.Equal(1, (await early.JsonAsync()).GetProperty("recorded").GetInt32());
        Assert.Equal("failed", (await ReceivedSmsAsync()).GetProperty("deliveryStatus").GetString());

        await Database.InTransactionAsync((c, t) => c.ExecuteAsync(
            """
            INSERT INTO notifications (application_id, dedupe_key, template, to_enc, body, parts, status, created_at, sent_at, gateway_message_id)
            SELECT application_id, 'overtaken', template, to_enc, body, parts, 'sent', created_at, created_at, 'Outgoing_overtaken'
            FROM notifications WHERE application_id = @_application AND template = 'received'
            """,
            new { _application }, t), TestContext.Current.CancellationToken);
        var redelivered = await PostAsync(new[] { report, Report(_messageId, "Failed", Now.AddSeconds(5)) });
        Assert.Equal(HttpStatusCode.OK, redelivered.StatusCode);
        var result = await redelivered.JsonAsync();
        Assert.Equal((1, 1, 0), (result.GetProperty("recorded").GetInt32(), result.GetProperty("duplicates").GetInt32(), result.GetProperty("unknown").GetInt32()));
    }

    [Fact]
    public async Task A_status_outside_acs_list_is_recorded_but_leaves_the_message_unconfirmed_not_undelivered()
    {
        var weird = await PostAsync(new[] { Report(_messageId, "Weird", DateTimeOffset.UtcNow.AddMinutes(1)) });
        Assert.Equal(1, (await weird.JsonAsync()).GetProperty("recorded").GetInt32());
        Assert.Equal("weird", (await ReceivedSmsAsync()).GetProperty("deliveryStatus").GetString());
        Assert.Empty(await UndeliveredAsync("460100-01-r1"));

        var expired = await PostAsync(new[] { Report(_messageId, "Expired", DateTimeOffset.UtcNow.AddMinutes(2)) });
        Assert.Equal(1, (await expired.JsonAsync()).GetProperty("recorded").GetInt32());
        Assert.Equal("expired", Assert.Single(await UndeliveredAsync("460100-01-r1")).GetProperty("deliveryStatus").GetString());
    }

    [Fact]
    public async Task A_message_with_only_an_unknown_status_is_listed_once_the_configured_time_passes_unconfirmed()
    {
        await PostAsync(new[] { Report(_messageId, "Weird", DateTimeOffset.UtcNow.AddMinutes(1)) });
        Assert.Empty(await UndeliveredAsync("460100-01-r1"));

        await _d.TodayAsync(2026, 11, 11);
        var listed = Assert.Single(await UndeliveredAsync("460100-01-r1"), n => n.GetProperty("template").GetString() == "received");
        Assert.Equal("weird", listed.GetProperty("deliveryStatus").GetString());
    }

    [Fact]
    public async Task A_sent_message_without_a_report_is_listed_after_the_configured_time()
    {
        await Database.InTransactionAsync((c, t) => c.ExecuteAsync(
            "UPDATE notifications SET delivery_status = NULL, delivery_reported_at = NULL WHERE application_id = @_application", new { _application }, t),
            TestContext.Current.CancellationToken);
        Assert.Empty(await UndeliveredAsync("460100-01-r1"));

        await _d.TodayAsync(2026, 11, 11);
        var listed = Assert.Single(await UndeliveredAsync("460100-01-r1"), n => n.GetProperty("template").GetString() == "received");
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("deliveryStatus").ValueKind);
    }

    [Theory]
    [InlineData("""[{"eventType":"Microsoft.Communication.SMSDeliveryReportReceived","data":{"deliveryStatus":"Delivered","receivedTimestamp":"2026-11-10T09:00:00Z"}}]""", "[0].data.messageId")]
    [InlineData("""[{"eventType":"Microsoft.Communication.SMSDeliveryReportReceived","data":{"messageId":"m","receivedTimestamp":"2026-11-10T09:00:00Z"}}]""", "[0].data.deliveryStatus")]
    [InlineData("""[{"eventType":"Microsoft.Communication.SMSDeliveryReportReceived","data":{"messageId":"m","deliveryStatus":"Delivered","receivedTimestamp":"yesterday"}}]""", "[0].data.receivedTimestamp")]
    [InlineData("""[{"data":{}}]""", "[0].eventType")]
    [InlineData("""[{"eventType":"Microsoft.EventGrid.SubscriptionValidationEvent","data":{}}]""", "[0].data.validationCode")]
    [InlineData("""{"eventType": """, "$")]
    [InlineData("42", "$")]
    public async Task A_bad_body_is_a_problem_naming_the_field(string body, string field)
    {
        var response = await _d.App.Anonymous.PostAsync($"/api/v1/sms/delivery-reports?key={Key}", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _), body);
    }
}

public sealed class DeliveryReportsOnSqlite() : DeliveryReportSpec(Store.Sqlite);

public sealed class DeliveryReportsOnPostgres() : DeliveryReportSpec(Store.Postgres);
