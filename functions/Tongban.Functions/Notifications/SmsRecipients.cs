namespace Tongban.Notifications;

/// <summary>
/// Who an application's SMS goes to, decided where it is queued: the applicant's mobile, until the applicant's death is
/// reported (<c>death_reports</c>, for any of the person's applications); from then on only messages worded to the family
/// (<see cref="Domain.Notifications.SmsMessage.ToFamily"/>) are queued, to the reporting relative's mobile, and nothing is
/// addressed to the deceased. A family message for a person whose death nobody reported has no one to go to and is not
/// queued either.
/// </summary>
public static class SmsRecipients
{
    /// <summary>
    /// One INSERT into the outbox, its values from the named parameters (without @); the dedupe key makes it once-only.
    /// <paramref name="family"/> names a boolean parameter: whether the message is worded to the family.
    /// </summary>
    public static string InsertSql(string application, string key, string template, string body, string parts, string family, string at) => $"""
        INSERT INTO notifications (application_id, dedupe_key, template, to_enc, body, parts, status, created_at)
        SELECT a.id, @{key}, @{template},
               CASE WHEN @{family} THEN (SELECT d.reporter_mobile_enc FROM death_reports d WHERE d.person_key = a.person_key
                                          ORDER BY d.reported_at, d.application_id LIMIT 1)
                    ELSE a.mobile_enc END,
               @{body}, @{parts}, 'queued', @{at}
        FROM applications a
        WHERE a.id = @{application} AND @{family} = EXISTS (SELECT 1 FROM death_reports d WHERE d.person_key = a.person_key)
        ON CONFLICT (dedupe_key) DO NOTHING;

        """;
}
