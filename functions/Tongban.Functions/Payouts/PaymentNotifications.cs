using System.Data.Common;
using Dapper;
using Tongban.Domain.Notifications;
using Tongban.Storage;

namespace Tongban.Payouts;

/// <summary>
/// An SMS about a payment, to the applicant's mobile or, after a reported death, to the family's
/// (<see cref="Notifications.SmsRecipients"/>); its key makes it once-only however often the cause is retried.
/// </summary>
public sealed record PaymentSms(string ApplicationId, string Key, SmsMessage Message);

/// <summary>Queues payment SMS in the same outbox as the claim's own; <see cref="Notifications.SmsDelivery"/> sends them.</summary>
public static class PaymentNotifications
{
    public static Task AddAsync(DbConnection c, DbTransaction t, IReadOnlyList<PaymentSms> messages, DateTimeOffset now) =>
        messages.Count == 0 ? Task.CompletedTask : c.ExecuteAsync(
            Notifications.SmsRecipients.InsertSql(c.Provider(), "messages", "applications", "at"),
            new
            {
                applications = messages.Select(m => m.ApplicationId).Distinct().ToArray(),
                messages = Notifications.SmsRecipients.Numbered(messages.Select(m => new Notifications.SmsRecipients.Queued(m.ApplicationId, m.Key, m.Message))),
                at = now.ToUnixTimeMilliseconds(),
            }, t);
}
