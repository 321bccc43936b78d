using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.DurableTask.Client;
using Tongban.Domain;
using Tongban.Domain.Claims;
using Tongban.Domain.Entitlements;
using Tongban.Domain.Identifiers;
using Tongban.Domain.PersonalData;
using Tongban.Domain.Verification;
using Tongban.Hosting;
using Tongban.PersonalData;
using Tongban.Review;
using Tongban.Security;
using Tongban.Storage;

namespace Tongban.Applications;

/// <summary>The applicant, masked; <c>documentKind</c> (contract v1.1) says which identity document the number is.</summary>
public sealed record ApplicantView(string IdNumber, string Name, string Mobile, string DocumentKind);
public sealed record VerificationView(bool Passed, IReadOnlyList<Finding> Findings);
/// <summary><c>months</c> granted; <c>continuedMonths</c> paid beyond them up to the statutory retirement age (续发), to <c>endMonth</c>.</summary>
public sealed record EntitlementView(int Months, decimal MonthlyAmount, string StartMonth, string EndMonth, int ContinuedMonths);
public sealed record HistoryView(DateTimeOffset At, string Type, string Actor, string? Office, string? Opinion);

/// <summary>The relative who reported a death, masked: <c>relationship</c> a code of <see cref="Relationships.Names"/>.</summary>
public sealed record ReporterView(string Name, string Relationship, string Mobile);
/// <summary>The account the family gave for the death benefits, masked (last four digits).</summary>
public sealed record PayeeView(string Name, string BankAccount);
/// <summary>A reported death (contract v1.1, additive): date, dependants, who reported it and where the family is paid (null: the card account).</summary>
public sealed record DeathReportView(string Date, int Dependants, ReporterView Reporter, PayeeView? Payee);

/// <summary>
/// For staff reading a case at first review (初审) or final review (复核): whether they may decide it, and if not, the
/// refusal code their decision would get — <c>not-a-reviewer</c>, <c>not-assigned-office</c>, <c>not-insuring-city</c>
/// or <c>first-reviewer-may-not-final-review</c>, from the rule the decision itself applies
/// (<see cref="ClaimWorkflow.DecisionRefusal"/>); and whether they may see the entitlement preview
/// (<see cref="ReviewCommands.SeesEntitlementPreview"/>). Null for portals and for a case at no review stage (contract
/// v1.1, additive). The console shows the form, or why not, and asks for the preview from these alone.
/// </summary>
public sealed record ReviewView(string Stage, bool MayDecide, string? Refusal, bool SeesEntitlementPreview)
{
    public static ReviewView? For(Claim claim, StaffMember staff)
    {
        if (claim.Status is not (ClaimStatus.FirstReview or ClaimStatus.FinalReview)) return null;
        var refused = ClaimWorkflow.DecisionRefusal(claim, staff);
        return new ReviewView(claim.Status.Code(), refused is null, refused?.Code, ReviewCommands.SeesEntitlementPreview(claim, staff));
    }
}

public sealed record ApplicationView(
    string ApplicationId, string CaseNumber, string ServiceItem, string Status, string Channel,
    string? AcceptingOffice, string? InsuringCity, string? AssignedOffice, DateTimeOffset ReceivedAt, DateTimeOffset? DueAt,
    ApplicantView Applicant, VerificationView? Verification, EntitlementView? Entitlement, IReadOnlyList<HistoryView> History,
    WorkflowView? Workflow = null, DeathReportView? DeathReport = null, string? OutreachCampaignId = null, ReviewView? Review = null);

/// <summary>Reads an application for portals and staff: personal data masked, history in order.</summary>
public static class ApplicationViews
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/applications/{id}", GetAsync).RequireAuthorization(Principals.PortalOrStaffPolicy).WithName("GetApplication")
            .WithSummary("An application with its verification, entitlement and history (personal data masked)")
            .Produces<ApplicationView>().ProducesProblem(StatusCodes.Status404NotFound);

    public static DateTimeOffset Time(long epochMilliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(epochMilliseconds).ToOffset(Deadlines.ChinaStandardTime);

    private static async Task<IResult> GetAsync(string id, HttpContext http, Database database, PersonalDataProtector protector,
        DurableTaskClient durable)
    {
        await using var connection = await database.OpenAsync(http.RequestAborted);
        var found = await LoadAsync(connection, id, protector);
        // A portal sees only what it submitted; staff anywhere in the province see every case (全省通办).
        if (found is not { } application || (http.User.PortalId() is { } portal && portal != application.PortalId))
            return Problems.NotFound($"Application {id}");
        var view = application.View with { Workflow = await WorkflowView.ForAsync(durable, id, http.RequestAborted) };
        if (http.User.Staff() is { } staff && view.Status is "first-review" or "final-review"
            && await ClaimStore.LoadAsync(connection, null, id) is { } claim)
            view = view with { Review = ReviewView.For(claim.Claim, staff) };
        return TypedResults.Ok(view);
    }

    /// <summary>The masked view of an application and the portal that submitted it; null when there is none.</summary>
    public static async Task<(ApplicationView View, string PortalId)?> LoadAsync(DbConnection connection, string id, PersonalDataProtector protector)
    {
        var row = await connection.QuerySingleOrDefaultAsync<ApplicationRow>("SELECT * FROM applications WHERE id = @id", new { id });
        if (row is null) return null;
        var history = await connection.QueryAsync<EventRow>(
            "SELECT at, type, actor, office, opinion FROM application_events WHERE application_id = @id ORDER BY seq", new { id });

        var death = await connection.QuerySingleOrDefaultAsync<DeathReportRow>(
            """
            SELECT died_on, dependants, reporter_name_enc, reporter_relationship, reporter_mobile_enc, payee_name_enc, payee_account_enc
            FROM death_reports WHERE application_id = @id
            """, new { id });

        var idNumber = protector.Decrypt(row.IdNumberEnc);
        var verification = row.FindingsJson is null ? null : JsonSerializer.Deserialize<List<Finding>>(row.FindingsJson, JsonBody.Options)!;
        return (new ApplicationView(
            row.Id, row.CaseNumber, row.ServiceItem, row.Status, row.Channel, row.AcceptingOffice, row.InsuringCity, row.AssignedOffice,
            Time(row.ReceivedAt), row.DueAt is { } due ? Time(due) : null,
            new ApplicantView(
                Mask.IdNumber(idNumber),
                Mask.Name(protector.Decrypt(row.NameEnc)),
                Mask.Mobile(protector.Decrypt(row.MobileEnc)),
                // Applications from before the kind was stored: the number itself says it.
                row.DocumentKind ?? IdentityNumber.Read(idNumber).Kind.Code()),
            verification is null ? null : new VerificationView(verification.Count == 0, verification),
            row.EntitlementMonths is { } months
                ? new EntitlementView((int)months, row.MonthlyFen!.Value / 100m, row.StartMonth!, row.EndMonth!,
                    new Entitlement((int)months, row.MonthlyFen.Value, YearMonth.Parse(row.StartMonth!), YearMonth.Parse(row.EndMonth!)).ContinuedMonths)
                : null,
            history.Select(e => new HistoryView(Time(e.At), e.Type, e.Actor, e.Office, e.Opinion is { } o ? Mask.FreeText(o) : null)).ToList(),
            DeathReport: death is null ? null : new DeathReportView(death.DiedOn, (int)death.Dependants,
                new ReporterView(Mask.Name(protector.Decrypt(death.ReporterNameEnc)), death.ReporterRelationship,
                    Mask.Mobile(protector.Decrypt(death.ReporterMobileEnc))),
                death.PayeeAccountEnc is null ? null
                    : new PayeeView(Mask.Name(protector.Decrypt(death.PayeeNameEnc!)), Mask.BankAccount(protector.Decrypt(death.PayeeAccountEnc)))),
            OutreachCampaignId: row.OutreachCampaignId),
            row.PortalId);
    }

    private sealed class DeathReportRow
    {
        public string DiedOn { get; init; } = "";
        public long Dependants { get; init; }
        public string ReporterNameEnc { get; init; } = "";
        public string ReporterRelationship { get; init; } = "";
        public string ReporterMobileEnc { get; init; } = "";
        public string? PayeeNameEnc { get; init; }
        public string? PayeeAccountEnc { get; init; }
    }

    private sealed class ApplicationRow
    {
        public string Id { get; init; } = "";
        public string CaseNumber { get; init; } = "";
        public string ServiceItem { get; init; } = "";
        public string Status { get; init; } = "";
        public string Channel { get; init; } = "";
        public string PortalId { get; init; } = "";
        public string? AcceptingOffice { get; init; }
        public string? InsuringCity { get; init; }
        public string? AssignedOffice { get; init; }
        public string IdNumberEnc { get; init; } = "";
        public string? DocumentKind { get; init; }
        /// <summary>The outreach campaign whose SMS last reached the applicant before the application (主动服务); null: none.</summary>
        public string? OutreachCampaignId { get; init; }
        public string NameEnc { get; init; } = "";
        public string MobileEnc { get; init; } = "";
        public string? FindingsJson { get; init; }
        public long? EntitlementMonths { get; init; }
        public long? MonthlyFen { get; init; }
        public string? StartMonth { get; init; }
        public string? EndMonth { get; init; }
        public long ReceivedAt { get; init; }
        public long? DueAt { get; init; }
    }

    private sealed class EventRow
    {
        public long At { get; init; }
        public string Type { get; init; } = "";
        public string Actor { get; init; } = "";
        public string? Office { get; init; }
        public string? Opinion { get; init; }
    }
}
