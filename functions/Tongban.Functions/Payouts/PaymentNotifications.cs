using System.Data.Common;
using System.Text;
using Dapper;
using Tongban.Domain.Notifications;

namespace Tongban.Payouts;

/// <summary>An SMS about a payment, to the applicant's mobile; its key makes it once-only however often the cause is retried.</summary>
public sealed record PaymentSms(string ApplicationId, string Key, SmsMessage Message);

/// <summary>Queues payment SMS in the same outbox as the claim's own; <see cref="Notifications.SmsDelivery"/> sends them.</summary>
public static class PaymentNotifications
{
    private const int PerCommand = 200;

    public static async Task AddAsync(DbConnection c, DbTransaction t, IReadOnlyList<PaymentSms> messages, DateTimeOffset now)
    {
        foreach (var batch in messages.Chunk(PerCommand))
        {
            var sql = new StringBuilder();
            var args = new DynamicParameters();
            args.Add("at", now.ToUnixTimeMilliseconds());
            for (var i = 0; i < batch.Length; i++)
            {
                var m = batch[i];
                sql.Append($"""
                    INSERT INTO notifications (application_id, dedupe_key, template, to_enc, body, parts, status, created_at)
                    SELECT id, @key{i}, @template{i}, mobile_enc, @body{i}, @parts{i}, 'queued', @at FROM applications WHERE id = @app{i}
                    ON CONFLICT (dedupe_key) DO NOTHING;

                    """);
                args.Add($"app{i}", m.ApplicationId);
                args.Add($"key{i}", m.Key);
                args.Add($"template{i}", m.Message.Template);
                args.Add($"body{i}", m.Message.Body);
                args.Add($"parts{i}", m.Message.Parts);
            }
            await c.ExecuteAsync(sql.ToString(), args, t);
        }
    }
}
