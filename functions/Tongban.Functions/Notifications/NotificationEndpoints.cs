using Dapper;
using Tongban.Applications;
using Tongban.Domain.PersonalData;
using Tongban.PersonalData;
using Tongban.Security;
using Tongban.Storage;

namespace Tongban.Notifications;

/// <summary>One SMS as the log shows it; <c>parts</c> is what carriers bill it as (null for rows from before it was recorded).</summary>
public sealed record NotificationView(string Template, string To, string Body, int? Parts, string Status, DateTimeOffset CreatedAt, DateTimeOffset? SentAt);

public static class NotificationEndpoints
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/admin/notifications", ListAsync).RequireAuthorization(Principals.AdministratorPolicy).WithName("ListNotifications")
            .WithSummary("The SMS log of an application (numbers masked); without applicationId, the latest 200");

    private static async Task<IResult> ListAsync(string? applicationId, HttpContext http, Database database, PersonalDataProtector protector)
    {
        await using var connection = await database.OpenAsync(http.RequestAborted);
        var rows = await connection.QueryAsync<NotificationRow>(
            applicationId is null
                ? "SELECT template, to_enc, body, parts, status, created_at, sent_at FROM notifications ORDER BY id DESC LIMIT 200"
                : "SELECT template, to_enc, body, parts, status, created_at, sent_at FROM notifications WHERE application_id = @applicationId ORDER BY id",
            new { applicationId });
        return TypedResults.Ok(rows.Select(r => new NotificationView(r.Template, Mask.Mobile(protector.Decrypt(r.ToEnc)), r.Body, (int?)r.Parts, r.Status,
            ApplicationViews.Time(r.CreatedAt), r.SentAt is { } sent ? ApplicationViews.Time(sent) : null)));
    }

    private sealed class NotificationRow
    {
        public string Template { get; init; } = "";
        public string ToEnc { get; init; } = "";
        public string Body { get; init; } = "";
        public long? Parts { get; init; }
        public string Status { get; init; } = "";
        public long CreatedAt { get; init; }
        public long? SentAt { get; init; }
    }
}
