using Dapper;
using Tongban.Applications;
using Tongban.Domain.Claims;
using Tongban.Domain.PersonalData;
using Tongban.PersonalData;
using Tongban.Security;
using Tongban.Storage;

namespace Tongban.Notifications;

/// <summary>
/// An SMS about an open case that did not reach the person, for staff to call them: the case, the person's name and the
/// number it went to (masked), what it was about (<c>template</c>), when it was sent, and the delivery status reported
/// (<c>failed</c> or <c>expired</c>; null: no report came within <c>Sms:UndeliveredAfterMinutes</c>; another status:
/// one Tongban does not know, which confirmed nothing within that time either).
/// </summary>
public sealed record UndeliveredView(long NotificationId, string ApplicationId, string CaseNumber, string Name, string To, string Template,
    DateTimeOffset SentAt, string? DeliveryStatus, string? DeliveryDetail, string? AssignedOffice, string? InsuringCity);

/// <summary>
/// <c>GET /api/v1/notifications/undelivered</c> (issue 12, item 5): SMS sent about an open case that a delivery report
/// said failed or expired (<see cref="DeliveryReports.NotDelivered"/>), or that no report confirmed — none came, or only
/// one with a status Tongban does not know — within <c>Sms:UndeliveredAfterMinutes</c> (60)
/// of being sent; oldest first, at most 500. Scope — the staff who would call: a reviewer sees the cases of their office
/// (accepting or assigned), a supervisor those of their city (insuring city, or accepting or assigned office in it), an
/// administrator all. Names and numbers masked.
/// </summary>
public static class UndeliveredMessages
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/notifications/undelivered", ListAsync).RequireAuthorization(Principals.StaffPolicy).WithName("ListUndeliveredSms")
            .WithSummary("SMS to people with an open case that were not delivered (failed, or unconfirmed), in the caller's office or city, masked")
            .Produces<UndeliveredView[]>();

    private static async Task<IResult> ListAsync(HttpContext http, Database database, PersonalDataProtector protector, SmsOptions options,
        TimeProvider clock)
    {
        var staff = http.User.Staff()!;
        var before = clock.GetUtcNow().Add(-options.UndeliveredAfter).ToUnixTimeMilliseconds();
        var scope = staff.Role switch
        {
            StaffRole.Reviewer => "AND (a.accepting_office = @office OR a.assigned_office = @office)",
            StaffRole.Supervisor => "AND (a.insuring_city = @city OR a.accepting_office LIKE @cityOffices OR a.assigned_office LIKE @cityOffices)",
            _ => "",
        };
        await using var c = await database.OpenAsync(http.RequestAborted);
        var rows = await c.QueryAsync<Row>(
            $"""
            SELECT n.id, n.application_id, a.case_number, a.name_enc, n.to_enc, n.template, n.sent_at, n.delivery_status, n.delivery_detail,
                   a.assigned_office, a.insuring_city
            FROM notifications n JOIN applications a ON a.id = n.application_id
            WHERE n.status = 'sent' AND (n.delivery_status IS NULL OR n.delivery_status <> @delivered)
              AND ({database.In("n.delivery_status", "notDelivered")} OR n.sent_at < @before)
              AND a.is_open = 1 {scope}
            ORDER BY n.sent_at, n.id LIMIT 500
            """, new { before, delivered = DeliveryReports.Delivered, notDelivered = DeliveryReports.NotDelivered.ToArray(), office = staff.OfficeCode, city = staff.CityCode, cityOffices = staff.CityCode + "-%" });
        return TypedResults.Ok(rows.Select(r => new UndeliveredView(r.Id, r.ApplicationId, r.CaseNumber, Mask.Name(protector.Decrypt(r.NameEnc)),
            Mask.Mobile(protector.Decrypt(r.ToEnc)), r.Template, ApplicationViews.Time(r.SentAt), r.DeliveryStatus, r.DeliveryDetail,
            r.AssignedOffice, r.InsuringCity)));
    }

    private sealed class Row
    {
        public long Id { get; init; }
        public string ApplicationId { get; init; } = "";
        public string CaseNumber { get; init; } = "";
        public string NameEnc { get; init; } = "";
        public string ToEnc { get; init; } = "";
        public string Template { get; init; } = "";
        public long SentAt { get; init; }
        public string? DeliveryStatus { get; init; }
        public string? DeliveryDetail { get; init; }
        public string? AssignedOffice { get; init; }
        public string? InsuringCity { get; init; }
    }
}
