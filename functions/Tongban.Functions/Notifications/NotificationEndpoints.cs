using Dapper;
using Tongban.Applications;
using Tongban.Domain.PersonalData;
using Tongban.Hosting;
using Tongban.PersonalData;
using Tongban.Security;
using Tongban.Storage;

namespace Tongban.Notifications;

/// <summary>
/// One SMS as the log shows it; <c>parts</c> is what carriers bill it as (null for rows from before it was recorded);
/// <c>deliveryStatus</c> the gateway's latest delivery report (<c>delivered</c>, <c>failed</c>, …; null: none yet) with its
/// <c>deliveryDetail</c>; <c>campaignId</c> the outreach campaign of an outreach SMS (null for a case's).
/// </summary>
public sealed record NotificationView(string Template, string To, string Body, int? Parts, string Status, DateTimeOffset CreatedAt, DateTimeOffset? SentAt,
    string? DeliveryStatus = null, string? DeliveryDetail = null, string? CampaignId = null);

/// <summary>The SMS log: all of it for administrators, one application's for any staff member working the case.</summary>
public static class NotificationEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/admin/notifications", ListAsync).RequireAuthorization(Principals.AdministratorPolicy).WithName("ListNotifications")
            .WithSummary("The SMS log of an application (numbers masked); without applicationId, the latest 200")
            .Produces<NotificationView[]>();
        // Staff anywhere see every case (全省通办), so also what the applicant was told about it.
        api.MapGet("/applications/{id}/notifications", ListForApplicationAsync)
            .RequireAuthorization(Principals.StaffPolicy).WithName("ApplicationNotifications")
            .WithSummary("The SMS sent about an application (numbers masked), oldest first")
            .Produces<NotificationView[]>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> ListForApplicationAsync(string id, HttpContext http, Database database, PersonalDataProtector protector)
    {
        await using (var connection = await database.OpenAsync(http.RequestAborted))
            if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM applications WHERE id = @id", new { id }) == 0)
                return Problems.NotFound($"Application {id}");
        return await ListAsync(id, http, database, protector);
    }

    private static async Task<IResult> ListAsync(string? applicationId, HttpContext http, Database database, PersonalDataProtector protector)
    {
        await using var connection = await database.OpenAsync(http.RequestAborted);
        var rows = await connection.QueryAsync<NotificationRow>(
            applicationId is null
                ? "SELECT template, to_enc, body, parts, status, created_at, sent_at, delivery_status, delivery_detail, campaign_id FROM notifications ORDER BY id DESC LIMIT 200"
                : "SELECT template, to_enc, body, parts, status, created_at, sent_at, delivery_status, delivery_detail, campaign_id FROM notifications WHERE application_id = @applicationId ORDER BY id",
            new { applicationId });
        return TypedResults.Ok(rows.Select(r => new NotificationView(r.Template, Mask.Mobile(protector.Decrypt(r.ToEnc)), r.Body, (int?)r.Parts, r.Status,
            ApplicationViews.Time(r.CreatedAt), r.SentAt is { } sent ? ApplicationViews.Time(sent) : null, r.DeliveryStatus, r.DeliveryDetail, r.CampaignId)));
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
        public string? DeliveryStatus { get; init; }
        public string? DeliveryDetail { get; init; }
        public string? CampaignId { get; init; }
    }
}
