using System.Data.Common;
using System.Text.Json.Serialization;
using Dapper;
using Tongban.PersonalData;
using Tongban.Storage;

namespace Tongban.Notifications;

/// <summary>
/// Delivers the SMS outbox. Messages are claimed before they are sent (<c>queued</c> → <c>sending</c>, one conditional
/// UPDATE for an application's messages or a chunk of a batch), so two deliverers — an activity run twice, or the sweep beside an orchestration — never both send it; it
/// is marked <c>sent</c> after the gateway accepted it. A deliverer that died between the two leaves it
/// <c>sending</c>; after <c>Sms:RetryAfterSeconds</c> (120: longer than a gateway call may take) it is sent again with
/// the same key and queue time, which gateways with repeatability (ACS, the local sink) drop as a repeat. The gateway's
/// message id is stored when a message is marked sent: delivery reports find the message by it (<see cref="DeliveryReports"/>).
/// </summary>
public sealed class SmsDelivery(Database database, ISmsGateway gateway, PersonalDataProtector protector, TimeProvider clock,
    SmsOptions options, ILogger<SmsDelivery> log)
{
    /// <summary>Sends the application's queued messages in the order they were queued; returns how many this call sent.</summary>
    public async Task<int> DeliverForApplicationAsync(string applicationId, CancellationToken ct)
    {
        var (sent, failure) = await SendAsync("application_id = @applicationId", new { applicationId }, ct);
        if (failure is not null) throw failure;
        return sent;
    }

    /// <summary>
    /// The sweep: every message queued more than <paramref name="olderThan"/> ago (one whose orchestration is gone, or a
    /// payment SMS a payout run queued), up to <paramref name="limit"/> a call. A failed send stays queued for the next.
    /// </summary>
    public async Task<int> DeliverQueuedAsync(TimeSpan olderThan, int limit, CancellationToken ct)
    {
        List<long> ids;
        var before = clock.GetUtcNow().Add(-olderThan).ToUnixTimeMilliseconds();
        await using (var connection = await database.OpenAsync(ct))
            ids = (await connection.QueryAsync<long>(
                "SELECT id FROM notifications WHERE status IN ('queued', 'sending') AND created_at < @before ORDER BY id LIMIT @limit",
                new { before, limit })).ToList();
        var (sent, failure) = await SendInChunksAsync(ids, ct);
        if (failure is not null) log.LogWarning(failure, "{Count} SMS not delivered; the next sweep tries again", ids.Count - sent);
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
        List<long> ids;
        await using (var connection = await database.OpenAsync(ct))
            ids = (await connection.QueryAsync<long>(
                """
                SELECT n.id FROM notifications n
                WHERE n.status IN ('queued', 'sending') AND n.id > @afterId
                  AND EXISTS (SELECT 1 FROM payments p WHERE p.application_id = n.application_id AND p.run_id = @runId)
                ORDER BY n.id LIMIT @limit
                """, new { runId, afterId, limit })).ToList();
        if (ids.Count == 0) return null;
        var (sent, failure) = await SendInChunksAsync(ids, ct);
        if (failure is not null) log.LogWarning(failure, "{Count} SMS of run {RunId} not delivered; the sweep tries again", ids.Count - sent, runId);
        return ids.Count < limit ? null : ids[^1];
    }

    /// <summary>
    /// For an outreach campaign's orchestration: its queued messages after notification id <paramref name="afterId"/>, up
    /// to <paramref name="limit"/>. A failed send stays queued for the sweep. Returns the last id looked at, or null when
    /// nothing is left after it.
    /// </summary>
    public async Task<long?> DeliverForCampaignAsync(string campaignId, long afterId, int limit, CancellationToken ct)
    {
        List<long> ids;
        await using (var connection = await database.OpenAsync(ct))
            ids = (await connection.QueryAsync<long>(
                """
                SELECT id FROM notifications
                WHERE campaign_id = @campaignId AND id > @afterId AND status IN ('queued', 'sending')
                ORDER BY id LIMIT @limit
                """, new { campaignId, afterId, limit })).ToList();
        if (ids.Count == 0) return null;
        var (sent, failure) = await SendInChunksAsync(ids, ct);
        if (failure is not null) log.LogWarning(failure, "{Count} SMS of outreach campaign {CampaignId} not delivered; the sweep tries again", ids.Count - sent, campaignId);
        return ids.Count < limit ? null : ids[^1];
    }

    /// <summary>
    /// Messages claimed together: few enough that the last is sent well within <c>Sms:RetryAfterSeconds</c> of the claim
    /// even through a slow gateway.
    /// </summary>
    private const int ClaimChunk = 50;

    private async Task<(int Sent, Exception? Failure)> SendInChunksAsync(List<long> ids, CancellationToken ct)
    {
        var (sent, failure) = (0, (Exception?)null);
        foreach (var chunk in ids.Chunk(ClaimChunk))
        {
            var (chunkSent, chunkFailure) = await SendAsync(database.In("id", "chunk"), new { chunk }, ct);
            sent += chunkSent;
            failure ??= chunkFailure;
        }
        return (sent, failure);
    }

    /// <summary>
    /// Claims the queued messages of the applications <paramref name="applicationIds"/> in the caller's transaction, for a
    /// step that queued or found them there: <see cref="SendClaimedAsync"/> sends them once it committed. Should the
    /// transaction roll back, so does the claim.
    /// </summary>
    public async Task<ClaimedSms> ClaimForApplicationsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyCollection<string> applicationIds) =>
        new(await ClaimAsync(connection, transaction, database.In("application_id", "applicationIds"), new { applicationIds = applicationIds.ToArray() }));

    /// <summary>
    /// Sends messages claimed by <see cref="ClaimForApplicationsAsync"/> in the order they were queued, marks them sent
    /// and hands back to the queue what the gateway refused. Answers with the first gateway error of each application
    /// that has a message left unsent (empty when all went out); throws when cancelled.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, Exception>> SendClaimedAsync(ClaimedSms claimed, CancellationToken ct)
    {
        var (_, failed) = await SendClaimedCoreAsync(claimed.Messages, ct);
        return failed.GroupBy(f => f.Message.ApplicationId).ToDictionary(g => g.Key, g => g.First().Error);
    }

    /// <summary>
    /// Claims the messages <paramref name="where"/> selects that nobody is sending (one UPDATE, its own transaction) and
    /// sends them (<see cref="SendClaimedCoreAsync"/>).
    /// </summary>
    private async Task<(int Sent, Exception? Failure)> SendAsync(string where, object selection, CancellationToken ct)
    {
        var (sent, failed) = await SendClaimedCoreAsync(await database.InTransactionAsync((c, t) => ClaimAsync(c, t, where, selection), ct), ct);
        return (sent, failed.Count == 0 ? null : failed[0].Error);
    }

    /// <summary>
    /// Marks the messages <paramref name="where"/> selects that nobody is sending <c>sending</c>, until
    /// <c>Sms:RetryAfterSeconds</c> from now; returns them in the order they were queued.
    /// </summary>
    private async Task<IReadOnlyList<Message>> ClaimAsync(DbConnection c, DbTransaction t, string where, object selection)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var args = new DynamicParameters(selection);
        args.AddDynamicParams(new { now, until = now + (long)options.RetryAfter.TotalMilliseconds });
        return (await c.QueryAsync<Message>(
            $"""
            UPDATE notifications SET status = 'sending', sending_until = @until
            WHERE {where} AND (status = 'queued' OR (status = 'sending' AND sending_until < @now))
            RETURNING id, application_id, dedupe_key, to_enc, body, created_at
            """, args, t)).OrderBy(m => m.Id).ToList();
    }

    /// <summary>
    /// Sends claimed messages in the order they were queued, marks the ones the gateway accepted <c>sent</c> (one UPDATE)
    /// and hands the others back to the queue. Returns how many were sent and the messages the gateway refused, with its
    /// error; throws when cancelled.
    /// </summary>
    private async Task<(int Sent, IReadOnlyList<(Message Message, Exception Error)> Failed)> SendClaimedCoreAsync(IReadOnlyList<Message> messages, CancellationToken ct)
    {
        if (messages.Count == 0) return (0, []);
        var sent = new List<(long Id, SmsReceipt Receipt)>(messages.Count);
        var failed = new List<(Message Message, Exception Error)>();
        foreach (var message in messages)
        {
            if (ct.IsCancellationRequested) break;
            try
            {
                sent.Add((message.Id, await gateway.SendAsync(protector.Decrypt(message.ToEnc), message.Body, message.DedupeKey,
                    DateTimeOffset.FromUnixTimeMilliseconds(message.CreatedAt), ct)));
            }
            catch (Exception e)
            {
                failed.Add((message, e));
            }
        }
        await MarkSentAsync(sent);
        if (sent.Count < messages.Count)
        {
            var unsent = messages.Select(m => m.Id).Except(sent.Select(m => m.Id)).ToList();
            await database.InTransactionAsync((c, t) => c.ExecuteAsync(
                $"UPDATE notifications SET status = 'queued', sending_until = NULL WHERE {database.In("id", "unsent")} AND status = 'sending'", new { unsent }, t),
                CancellationToken.None);
        }
        ct.ThrowIfCancellationRequested();
        return (sent.Count, failed);
    }

    /// <summary>
    /// Marks the accepted messages sent in one statement (one round trip however many), each with the gateway's message
    /// id — what its delivery reports quote — and, for a gateway that delivers on acceptance (the local sink), delivered.
    /// The messages are one JSON parameter (<see cref="JsonRows"/>), so the statement's text is the same for any number
    /// of them and PostgreSQL plans it once.
    /// </summary>
    private Task MarkSentAsync(List<(long Id, SmsReceipt Receipt)> sent)
    {
        if (sent.Count == 0) return Task.CompletedTask;
        var args = new
        {
            at = clock.GetUtcNow().ToUnixTimeMilliseconds(),
            ids = sent.Select(m => m.Id).ToArray(),
            sent = JsonRows.Of(sent.Select(m => new SentRow(m.Id, m.Receipt.MessageId, m.Receipt.Delivered))),
        };
        // The id list pins the rows to the primary key, whatever a cached generic plan guesses of the JSON's row count.
        return database.InTransactionAsync((c, t) => c.ExecuteAsync(
            $"""
            UPDATE notifications SET status = 'sent', sent_at = @at, sending_until = NULL, gateway_message_id = s.message_id,
                delivery_status = CASE WHEN s.delivered THEN 'delivered' ELSE notifications.delivery_status END,
                delivery_reported_at = CASE WHEN s.delivered THEN @at ELSE notifications.delivery_reported_at END
            FROM {JsonRows.Table(database.Provider, "sent", "s", ("id", "bigint"), ("message_id", "text"), ("delivered", "boolean"))}
            WHERE notifications.id = s.id AND {database.In("notifications.id", "ids")} AND notifications.status = 'sending'
            """, args, t), CancellationToken.None);
    }

    /// <summary>A sent message as <see cref="MarkSentAsync"/> hands it to its UPDATE.</summary>
    private sealed record SentRow(
        [property: JsonPropertyName("id")] long Id,
        [property: JsonPropertyName("message_id")] string? MessageId,
        [property: JsonPropertyName("delivered")] bool Delivered);

    /// <summary>Messages a step claimed in its transaction (<see cref="ClaimForApplicationsAsync"/>), to send after it commits.</summary>
    public sealed class ClaimedSms
    {
        internal ClaimedSms(IReadOnlyList<Message> messages) => Messages = messages;

        internal IReadOnlyList<Message> Messages { get; }
    }

    internal sealed class Message
    {
        public long Id { get; init; }
        public string ApplicationId { get; init; } = "";
        public string DedupeKey { get; init; } = "";
        public string ToEnc { get; init; } = "";
        public string Body { get; init; } = "";
        public long CreatedAt { get; init; }
    }
}
