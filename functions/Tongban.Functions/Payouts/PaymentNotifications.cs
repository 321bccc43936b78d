using System.Data.Common;
using System.Text;
using Dapper;
using Tongban.Domain.Notifications;

namespace Tongban.Payouts;

/// <summary>
/// An SMS about a payment, to the applicant's mobile or, after a reported death, to the family's
/// (<see cref="Notifications.SmsRecipients"/>); its key makes it once-only however often the cause is retried.
/// </summary>
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
                sql.Append(Notifications.SmsRecipients.InsertSql($"app{i}", $"key{i}", $"template{i}", $"body{i}", $"parts{i}", $"family{i}", "at"));
                args.Add($"app{i}", m.ApplicationId);
                args.Add($"key{i}", m.Key);
                args.Add($"template{i}", m.Message.Template);
                args.Add($"body{i}", m.Message.Body);
                args.Add($"parts{i}", m.Message.Parts);
                args.Add($"family{i}", m.Message.ToFamily);
            }
            await c.ExecuteAsync(sql.ToString(), args, t);
        }
    }
}
