using System.Text.Json.Serialization;
using Tongban.Storage;

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
    /// One INSERT into the outbox of every message in the JSON parameter <paramref name="parameter"/> (without @; an array
    /// of <see cref="Queued"/>, <see cref="JsonRows"/>; <see cref="Numbered"/> gives their order), queued at the epoch-ms
    /// parameter <paramref name="at"/> in that order (they are sent in the order of their ids); each message's dedupe
    /// key makes it once-only. <paramref name="applications"/> names a list parameter of the messages'
    /// application ids: it pins the applications to their primary key, whatever a cached generic plan guesses of the
    /// JSON's row count and the table's size (PostgreSQL).
    /// </summary>
    public static string InsertSql(DatabaseProvider provider, string parameter, string applications, string at) => $"""
        INSERT INTO notifications (application_id, dedupe_key, template, to_enc, body, parts, status, created_at)
        SELECT a.id, s.dedupe_key, s.template,
               CASE WHEN s.family THEN (SELECT d.reporter_mobile_enc FROM death_reports d WHERE d.person_key = a.person_key
                                         ORDER BY d.reported_at, d.application_id LIMIT 1)
                    ELSE a.mobile_enc END,
               s.body, s.parts, 'queued', @{at}
        FROM {JsonRows.Table(provider, parameter, "s", ("application_id", "text"), ("dedupe_key", "text"), ("template", "text"),
            ("body", "text"), ("parts", "bigint"), ("family", "boolean"), ("n", "bigint"))}
        JOIN applications a ON a.id = s.application_id
        WHERE {SqlLists.In(provider, "a.id", applications)}
          AND s.family = EXISTS (SELECT 1 FROM death_reports d WHERE d.person_key = a.person_key)
        ORDER BY s.n
        ON CONFLICT (dedupe_key) DO NOTHING;

        """;

    /// <summary>
    /// A message to queue for an application: its once-only key, template, text, billed parts and whether it is worded to
    /// the family (<see cref="InsertSql"/>).
    /// </summary>
    public sealed record Queued(
        [property: JsonPropertyName("application_id")] string ApplicationId,
        [property: JsonPropertyName("dedupe_key")] string DedupeKey,
        [property: JsonPropertyName("template")] string Template,
        [property: JsonPropertyName("body")] string Body,
        [property: JsonPropertyName("parts")] int Parts,
        [property: JsonPropertyName("family")] bool Family,
        [property: JsonPropertyName("n")] int N = 0)
    {
        public Queued(string applicationId, string dedupeKey, Domain.Notifications.SmsMessage message)
            : this(applicationId, dedupeKey, message.Template, message.Body, message.Parts, message.ToFamily) { }
    }

    /// <summary>The messages as <see cref="InsertSql"/>'s JSON parameter, numbered in the order they are to be queued and sent.</summary>
    public static string Numbered(IEnumerable<Queued> messages) => JsonRows.Of(messages.Select((m, i) => m with { N = i }));
}
