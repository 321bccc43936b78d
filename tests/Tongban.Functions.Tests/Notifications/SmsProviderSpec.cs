using System.Net;
using Microsoft.Extensions.Configuration;
using Tongban.Hosting;
using Tongban.Notifications;
using Tongban.Tests.Infrastructure;

namespace Tongban.Tests.Notifications;

/// <summary>Sms:Provider and its settings, from configuration to a text arriving at ACS.</summary>
public sealed class SmsProviderSpec
{
    private static ISmsGateway Resolve(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
        var services = new ServiceCollection().AddSingleton(TimeProvider.System);
        services.AddSms(configuration, Path.GetTempPath());
        return services.BuildServiceProvider().GetRequiredService<ISmsGateway>();
    }

    [Fact]
    public void Without_a_provider_texts_go_to_the_local_outbox()
    {
        Assert.IsType<LocalSmsSink>(Resolve());
    }

    [Fact]
    public async Task The_local_outbox_holds_each_text_once_in_readable_Chinese_with_the_number_masked()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("tongban-outbox-").FullName, "sms-outbox.jsonl");
        var sink = new LocalSmsSink(path);
        var ct = TestContext.Current.CancellationToken;
        await sink.SendAsync("13912345678", "【通办】您的申请已受理。", "app:1:received", DateTimeOffset.UtcNow, ct);
        await sink.SendAsync("13912345678", "【通办】您的申请已受理。", "app:1:received", DateTimeOffset.UtcNow, ct);

        var line = Assert.Single(await File.ReadAllLinesAsync(path, ct));
        Assert.Contains("\"body\":\"【通办】您的申请已受理。\"", line);
        Assert.Contains("\"to\":\"139****5678\"", line);
        Assert.DoesNotContain("13912345678", line);
    }

    [Fact]
    public void Acs_with_an_access_key_or_without_one_for_Entra_ID_is_the_ACS_adapter()
    {
        Assert.IsType<AcsSmsGateway>(Resolve(("Sms:Provider", "acs"), ("Sms:AcsEndpoint", "https://acs-test.communication.azure.com/"),
            ("Sms:From", "+18005550100"), ("Sms:AcsAccessKey", AcsSmsServer.AccessKey)));
        Assert.IsType<AcsSmsGateway>(Resolve(("Sms:Provider", "acs"), ("Sms:AcsEndpoint", "https://acs-test.communication.azure.com/"),
            ("Sms:From", "+18005550100"), ("Sms:AcsAccessKey", "")));
    }

    [Theory]
    [InlineData("--Sms:From=+18005550100", "Sms:AcsEndpoint")]
    [InlineData("--Sms:AcsEndpoint=https://acs-test.communication.azure.com/", "Sms:From")]
    public async Task Acs_without_its_endpoint_or_sender_stops_start_up_naming_the_setting(string setting, string missing)
    {
        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            TongbanApp.BuildAsync(["--urls=http://127.0.0.1:0", "--Sms:Provider=acs", setting]));

        Assert.Contains(missing, failed.Message);
    }

    [Fact]
    public async Task Unknown_provider_stops_start_up()
    {
        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            TongbanApp.BuildAsync(["--urls=http://127.0.0.1:0", "--Sms:Provider=aliyun"]));

        Assert.Contains("aliyun", failed.Message);
    }

    [Fact]
    public async Task Submitted_application_sends_its_received_SMS_through_ACS()
    {
        await using var acs = await AcsSmsServer.StartAsync();
        await using var app = await TestApp.StartAsync(Store.Sqlite,
            "--Sms:Provider=acs", $"--Sms:AcsEndpoint={acs.Endpoint}", $"--Sms:AcsAccessKey={AcsSmsServer.AccessKey}", "--Sms:From=+18005550100");
        await app.ImportAsync(People.Csv(People.EligibleInSanya(1)));

        var submitted = await app.Portal.SubmitAsync(People.Application(People.IdNumber(1)));
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        var applicationId = (await submitted.JsonAsync()).GetProperty("applicationId").GetString()!;

        await acs.WaitForMessageAsync(m => m.Message.Contains("申请已受理"), TimeSpan.FromSeconds(30));
        var sent = Assert.Single(acs.Messages);
        Assert.Equal("+8613800138000", sent.To);
        Assert.Equal("+18005550100", sent.From);
        using var admin = await app.StaffAsync("admin");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var log = await admin.GetJsonAsync($"/api/v1/admin/notifications?applicationId={applicationId}");
            var received = log.EnumerateArray().Single(n => n.GetProperty("template").GetString() == "received");
            if (received.GetProperty("status").GetString() == "sent") break;
            if (DateTime.UtcNow > deadline) Assert.Fail("ACS accepted the SMS but the notification was not marked sent.");
            await Task.Delay(50);
        }
    }
}
