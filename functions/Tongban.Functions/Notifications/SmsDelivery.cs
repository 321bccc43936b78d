using Dapper;
using Tongban.PersonalData;
using Tongban.Storage;

namespace Tongban.Notifications;

/// <summary>
/// Delivers the SMS outbox. A message is claimed before it is sent (<c>queued</c> → <c>sending</c>, one conditional
/// UPDATE), so two deliverers — an activity run twice, or the sweep beside an orchestration — never both send it; it
/// is marked <c>sent</c> after the gateway accepted it. A deliverer that died between the two leaves it
/// <c>sending</c>; after <c>Sms:RetryAfterSeconds</c> (120: longer than a gateway call may take) it is sent again with
/// the same key and queue time, which gateways with repeatability (ACS, the local sink) drop as a repeat.
/// </summary>
public sealed class SmsDelivery(Database database, ISmsGateway gateway, PersonalDataProtector protector, TimeProvider clock,
    IConfiguration configuration, ILogger<SmsDelivery> log)
{
    private readonly TimeSpan _retryAfter = TimeSpan.FromSeconds(configuration.GetValue("Sms:RetryAfterSeconds", 120));

    /// <summary>Sends the application's queued messages in the order they were queued; returns how many this call sent.</summary>
    public async Task<int> DeliverForApplicationAsync(string applicationId, CancellationToken ct)
    {
        List<string> keys;
        await using (var connection = await database.OpenAsync(ct))
            keys = (await connection.QueryAsync<string>(
                "SELECT dedupe_key FROM notifications WHERE application_id = @applicationId AND status IN ('queued', 'sending') ORDER BY id",
                new { applicationId })).ToList();
        var sent = 0;
        foreach (var key in keys)
            if (await DeliverAsync(key, ct)) sent++;
        return sent;
    }

    /// <summary>
    /// The sweep: every message queued more than <paramref name="olderThan"/> ago (one whose orchestration is gone, or a
    /// payment SMS a payout run queued), up to <paramref name="limit"/> a call. A failed send stays queued for the next.
    /// </summary>
    public async Task<int> DeliverQueuedAsync(TimeSpan olderThan, int limit, CancellationToken ct)
    {
        List<string> keys;
        var before = clock.GetUtcNow().Add(-olderThan).ToUnixTimeMilliseconds();
        await using (var connection = await database.OpenAsync(ct))
            keys = (await connection.QueryAsync<string>(
                "SELECT dedupe_key FROM notifications WHERE status IN ('queued', 'sending') AND created_at < @before ORDER BY id LIMIT @limit",
                new { before, limit })).ToList();
        var sent = 0;
        foreach (var key in keys)
        {
            try
            {
                if (await DeliverAsync(key, ct)) sent++;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                log.LogWarning(e, "SMS {Key} not delivered; the next sweep tries again", key);
            }
        }
        return sent;
    }

    /// <summary>
    /// For a payout run's orchestration: what is queued for the people the run pays — the payment SMS its return files
    /// queue, the completion SMS of a claim whose last month was paid — up to <paramref name="limit"/> messages after
    /// notification id <paramref name="afterId"/>, so a million of them go out in checkpointed batches. A failed send
    /// stays queued for the sweep. Returns the last id looked at, or null when nothing is left after it.
    /// </summary>
    public async Task<long?> DeliverForRunAsync(string runId, long afterId, int limit, CancellationToken ct)
    {
        List<(long Id, string Key)> batch;
        await using (var connection = await database.OpenAsync(ct))
            batch = (await connection.QueryAsync<(long, string)>(
                """
                SELECT n.id, n.dedupe_key FROM notifications n
                WHERE n.status IN ('queued', 'sending') AND n.id > @afterId
                  AND EXISTS (SELECT 1 FROM payments p WHERE p.application_id = n.application_id AND p.run_id = @runId)
                ORDER BY n.id LIMIT @limit
                """, new { runId, afterId, limit })).ToList();
        foreach (var (_, key) in batch)
        {
            try
            {
                await DeliverAsync(key, ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                log.LogWarning(e, "SMS {Key} not delivered; the sweep tries again", key);
            }
        }
        return batch.Count < limit ? null : batch[^1].Id;
    }

    private async Task<bool> DeliverAsync(string key, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var message = await database.InTransactionAsync((c, t) => c.QuerySingleOrDefaultAsync<Message>(
            """
            UPDATE notifications SET status = 'sending', sending_until = @until
            WHERE dedupe_key = @key AND (status = 'queued' OR (status = 'sending' AND sending_until < @now))
            RETURNING to_enc, body, created_at
            """,
            new { key, now, until = now + (long)_retryAfter.TotalMilliseconds }, t), ct);
        if (message is null) return false;
        try
        {
            await gateway.SendAsync(protector.Decrypt(message.ToEnc), message.Body, key, DateTimeOffset.FromUnixTimeMilliseconds(message.CreatedAt), ct);
        }
        catch
        {
            await database.InTransactionAsync((c, t) => c.ExecuteAsync(
                "UPDATE notifications SET status = 'queued', sending_until = NULL WHERE dedupe_key = @key AND status = 'sending'", new { key }, t),
                CancellationToken.None);
            throw;
        }
        await database.InTransactionAsync((c, t) => c.ExecuteAsync(
            "UPDATE notifications SET status = 'sent', sent_at = @at, sending_until = NULL WHERE dedupe_key = @key AND status = 'sending'",
            new { key, at = clock.GetUtcNow().ToUnixTimeMilliseconds() }, t), ct);
        return true;
    }

    private sealed class Message
    {
        public string ToEnc { get; init; } = "";
        public string Body { get; init; } = "";
        public long CreatedAt { get; init; }
    }
}
