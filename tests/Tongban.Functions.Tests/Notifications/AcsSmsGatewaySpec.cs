using Azure;
using Azure.Core;
using Tongban.Tests.Infrastructure;
using Tongban.Notifications;

namespace Tongban.Tests.Notifications;

/// <summary>The ACS adapter against a local server that checks the documented protocol, signature included.</summary>
public sealed class AcsSmsGatewaySpec : IAsyncLifetime
{
    private const string From = "+18005550100";
    private AcsSmsServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await AcsSmsServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private AcsSmsGateway Gateway(string? accessKey = null, TimeProvider? clock = null) =>
        AcsSmsGateway.WithAccessKey(_server.Endpoint, From, accessKey ?? AcsSmsServer.AccessKey, clock ?? TimeProvider.System, new FastRetries());

    [Fact]
    public async Task Message_reaches_ACS_from_the_sender_number_to_the_mobile_in_E164()
    {
        await Gateway().SendAsync("13800138000", "【社保通办】您的失业保险金申请已受理。", "app-1:2:received", DateTimeOffset.UtcNow, CancellationToken.None);

        var sent = Assert.Single(_server.Messages);
        Assert.Equal("+8613800138000", sent.To);
        Assert.Equal(From, sent.From);
        Assert.Equal("【社保通办】您的失业保险金申请已受理。", sent.Message);
    }

    [Fact]
    public async Task Same_message_key_is_the_same_repeatable_request_and_ACS_sends_it_once()
    {
        var gateway = Gateway();
        var queuedAt = DateTimeOffset.UtcNow.AddSeconds(-30);

        await gateway.SendAsync("13800138000", "第一条", "app-1:2:received", queuedAt, CancellationToken.None);
        await gateway.SendAsync("13800138000", "第一条", "app-1:2:received", queuedAt, CancellationToken.None);
        await gateway.SendAsync("13800138000", "第二条", "app-1:3:first-review-passed", queuedAt, CancellationToken.None);

        Assert.Equal(3, _server.Attempts);
        Assert.Equal(["第一条", "第二条"], _server.Messages.Select(m => m.Message));
        Assert.NotEqual(_server.Messages[0].RequestId, _server.Messages[1].RequestId);
        Assert.All(_server.Messages, m => Assert.Equal(queuedAt.ToString("r"), m.FirstSent));
    }

    [Fact]
    public async Task Retry_from_another_instance_a_minute_later_is_the_same_repeatable_request()
    {
        var queuedAt = DateTimeOffset.UtcNow.AddSeconds(-5);
        await using var other = await AcsSmsServer.StartAsync();

        await Gateway(clock: new ManualClock(queuedAt.AddSeconds(1)))
            .SendAsync("13800138000", "正文", "app-9:1:received", queuedAt, CancellationToken.None);
        await AcsSmsGateway.WithAccessKey(other.Endpoint, From, AcsSmsServer.AccessKey, new ManualClock(queuedAt.AddMinutes(1)))
            .SendAsync("13800138000", "正文", "app-9:1:received", queuedAt, CancellationToken.None);

        Assert.Equal(Assert.Single(_server.Messages).RequestId, Assert.Single(other.Messages).RequestId);
    }

    [Fact]
    public async Task Message_queued_before_ACS_tracks_repeats_goes_out_as_a_new_request()
    {
        var now = DateTimeOffset.UtcNow;
        var queuedAt = now.AddMinutes(-30);

        await Gateway(clock: new ManualClock(now)).SendAsync("13800138000", "晚到的短信", "app-1:2:received", queuedAt, CancellationToken.None);

        var sent = Assert.Single(_server.Messages);
        Assert.Equal(now.ToString("r"), sent.FirstSent);
    }

    [Fact]
    public async Task Recipient_ACS_does_not_accept_fails_the_send_without_the_full_number()
    {
        _server.RefuseRecipient("+8613800138000");

        var failed = await Assert.ThrowsAsync<RequestFailedException>(() =>
            Gateway().SendAsync("13800138000", "正文", "app-1:2:received", DateTimeOffset.UtcNow, CancellationToken.None));

        Assert.Equal(400, failed.Status);
        Assert.Contains("138****8000", failed.Message);
        Assert.DoesNotContain("13800138000", failed.Message);
        Assert.Empty(_server.Messages);
    }

    [Fact]
    public async Task Wrong_access_key_is_refused_by_the_service()
    {
        var gateway = Gateway(accessKey: Convert.ToBase64String(new byte[32]));

        var failed = await Assert.ThrowsAsync<RequestFailedException>(() =>
            gateway.SendAsync("13800138000", "正文", "app-1:2:received", DateTimeOffset.UtcNow, CancellationToken.None));

        Assert.Equal(401, failed.Status);
        Assert.Equal(1, _server.Attempts);
        Assert.Empty(_server.Messages);
    }

    [Fact]
    public async Task Server_errors_are_retried_by_the_pipeline_and_the_text_goes_out_once()
    {
        _server.FailNext(2);

        await Gateway().SendAsync("13800138000", "正文", "app-1:2:received", DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(3, _server.Attempts);
        Assert.Single(_server.Messages);
    }

    [Fact]
    public async Task Number_already_in_E164_is_sent_as_it_is()
    {
        await Gateway().SendAsync("+14255550123", "test", "test:1", DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal("+14255550123", Assert.Single(_server.Messages).To);
    }

    [Fact]
    public async Task Number_neither_mainland_nor_E164_is_refused_before_sending()
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            Gateway().SendAsync("0898-12345", "正文", "app-1:2:received", DateTimeOffset.UtcNow, CancellationToken.None));

        Assert.Equal(0, _server.Attempts);
    }

    private sealed class FastRetries : ClientOptions
    {
        public FastRetries()
        {
            Retry.Delay = TimeSpan.FromMilliseconds(10);
            Retry.MaxDelay = TimeSpan.FromMilliseconds(50);
        }
    }
}
