using Dapper;
using Tongban.Applications;
using Tongban.PersonalData;
using Tongban.Storage;
using Tongban.Work;

namespace Tongban.Notifications;

/// <summary>Delivers one queued SMS through the gateway, then marks it sent with the work item's completion.</summary>
public sealed class SendSmsHandler(Database database, WorkItems items, ISmsGateway gateway,
    PersonalDataProtector protector, TimeProvider clock) : IWorkHandler
{
    public string Kind => ClaimStore.SendSmsKind;

    public async Task HandleAsync(WorkItem item, CancellationToken ct)
    {
        NotificationRow? notification;
        await using (var connection = await database.OpenAsync(ct))
        {
            notification = await connection.QuerySingleOrDefaultAsync<NotificationRow>(
                "SELECT to_enc, body, status, created_at FROM notifications WHERE dedupe_key = @key", new { key = item.Payload });
        }
        if (notification is { Status: "queued" })
            await gateway.SendAsync(protector.Decrypt(notification.ToEnc), notification.Body, item.Payload,
                DateTimeOffset.FromUnixTimeMilliseconds(notification.CreatedAt), ct);
        await database.InTransactionAsync(async (c, t) =>
        {
            await c.ExecuteAsync(
                "UPDATE notifications SET status = 'sent', sent_at = @now WHERE dedupe_key = @key AND status = 'queued'",
                new { key = item.Payload, now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, t);
            await items.CompleteAsync(c, t, item);
        }, ct);
    }

    private sealed class NotificationRow
    {
        public string ToEnc { get; init; } = "";
        public string Body { get; init; } = "";
        public string Status { get; init; } = "";
        public long CreatedAt { get; init; }
    }
}
