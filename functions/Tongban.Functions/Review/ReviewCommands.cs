using System.Data.Common;
using Dapper;
using Tongban.Applications;
using Tongban.Domain;
using Tongban.Domain.Claims;
using Tongban.Domain.Entitlements;
using Tongban.Domain.Payouts;
using Tongban.Domain.Province;
using Tongban.Payouts;
using Tongban.PersonalData;
using Tongban.Routing;
using Tongban.Storage;
using Tongban.Verification;

namespace Tongban.Review;

/// <summary>Review and stop commands: load, decide (pure), commit — one transaction each.</summary>
public sealed class ReviewCommands(Database database, ClaimStore store, ProvinceConfig province, ClaimPayouts payouts,
    PersonalDataProtector protector, TimeProvider clock)
{
    public Task<ClaimStatus?> ReviewAsync(string id, StaffMember staff, ClaimStatus stage, ReviewDecision decision,
        string? opinion, CancellationToken ct) =>
        ExecuteAsync(id, async (c, t, claim) =>
        {
            if (stage == ClaimStatus.FirstReview)
            {
                var city = province.FindCity(claim.InsuringCity ?? "")
                           ?? throw new TransitionRefused(RefusalKind.Conflict, RefusalCode.InsuringCityOutsideProvince, "The application has no insuring city in this province.");
                var office = decision == ReviewDecision.Approve && claim.Status == ClaimStatus.FirstReview
                    ? await OfficeRouter.ChooseAsync(c, t, city, Deadlines.LocalDate(clock.GetUtcNow()))
                    : city.Offices[0];
                return ClaimWorkflow.FirstReview(claim, staff, decision, opinion, city, office);
            }
            var (facts, earlier) = await EntitlementInputsAsync(c, t, claim);
            return ClaimWorkflow.FinalReview(claim, staff, decision, opinion, () => FixEntitlement(claim, facts, earlier));
        }, ct, then: (c, t, transition, now) => stage == ClaimStatus.FinalReview && transition.Claim.Status == ClaimStatus.Approved
            ? payouts.BackPayAsync(c, t, transition.Claim, now)
            : Task.CompletedTask);

    /// <summary>
    /// Who may decide, answered before the decision's body is read: true when application <paramref name="id"/> exists and
    /// <paramref name="staff"/> may decide it at <paramref name="stage"/>, false when there is no such application.
    /// Refused (<see cref="ClaimWorkflow.DecisionRefusal(Claim, StaffMember, ClaimStatus)"/>) with 409 when it is not at
    /// that stage and 403 when they may not decide it — the refusal GET /applications/{id} shows them. <see cref="ReviewAsync"/>
    /// checks again in its transaction, against the claim as it is then.
    /// </summary>
    public async Task<bool> CheckDeciderAsync(string id, StaffMember staff, ClaimStatus stage, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out _)) return false;
        await using var c = await database.OpenAsync(ct);
        if (await ClaimStore.LoadAsync(c, null, id) is not { Claim: var claim }) return false;
        if (ClaimWorkflow.DecisionRefusal(claim, staff, stage) is { } refused) throw refused;
        return true;
    }

    /// <summary>
    /// A stop event, and in the same transaction what it does to payments: months it excludes are cancelled or
    /// become overpayments to recover. A death comes with the family's report (<paramref name="death"/>, required for
    /// <c>died</c>): stored encrypted first, so that every SMS from then on goes to the family and none to the deceased;
    /// its dependants set the survivors' pension.
    /// </summary>
    public Task<ClaimStatus?> ReportStopAsync(string id, StaffMember staff, string eventType, DateOnly date, DeathReport? death, CancellationToken ct)
    {
        DeathBenefits? benefits = null;
        return ExecuteAsync(id, async (c, t, claim) =>
            {
                var transition = ClaimWorkflow.ReportStop(claim, staff, eventType, date, Deadlines.LocalDate(clock.GetUtcNow()),
                    eventType == StopEvents.Died && death is not null ? () => benefits = payouts.DeathBenefitsFor(claim, date, death.Dependants) : null,
                    death?.Reporter);
                if (death is not null) await StoreDeathReportAsync(c, t, claim, staff, date, death);
                return transition;
            },
            ct, then: (c, t, transition, now) => payouts.SettleStopAsync(c, t, transition.Claim, eventType, date, benefits,
                death?.Payee?.BankAccount, now));
    }

    private Task StoreDeathReportAsync(DbConnection c, DbTransaction t, Claim claim, StaffMember staff, DateOnly date, DeathReport death) =>
        c.ExecuteAsync(
            """
            INSERT INTO death_reports (application_id, person_key, died_on, dependants, reporter_name_enc, reporter_relationship,
                                       reporter_mobile_enc, payee_name_enc, payee_account_enc, payee_given_at, reported_by, reported_at)
            SELECT id, person_key, @diedOn, @dependants, @name, @relationship, @mobile, @payeeName, @payeeAccount, @payeeGivenAt, @staff, @at
            FROM applications WHERE id = @id
            """,
            new
            {
                id = claim.Id.ToString(), diedOn = date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                dependants = (long)death.Dependants, name = protector.Encrypt(death.Reporter.Name), relationship = death.Reporter.Relationship,
                mobile = protector.Encrypt(death.Reporter.Mobile),
                payeeName = death.Payee is { } payee ? protector.Encrypt(payee.Name) : null,
                payeeAccount = death.Payee is { } account ? protector.Encrypt(account.BankAccount) : null,
                payeeGivenAt = death.Payee is null ? (long?)null : clock.GetUtcNow().ToUnixTimeMilliseconds(),
                staff = staff.Username, at = clock.GetUtcNow().ToUnixTimeMilliseconds(),
            }, t);

    private async Task<ClaimStatus?> ExecuteAsync(string id, Func<DbConnection, DbTransaction, Claim, Task<Transition>> decide,
        CancellationToken ct, Func<DbConnection, DbTransaction, Transition, DateTimeOffset, Task>? then = null)
    {
        if (!Guid.TryParse(id, out _)) return null;
        return await database.InTransactionAsync<ClaimStatus?>(async (c, t) =>
        {
            var loaded = await ClaimStore.LoadAsync(c, t, id, forUpdate: database.Provider == DatabaseProvider.Postgres);
            if (loaded is not { } found) return null;
            var transition = await decide(c, t, found.Claim);
            var now = clock.GetUtcNow();
            await store.ApplyAsync(c, t, transition, found.Claim.Version, found.ReceivedAt, now);
            if (then is not null) await then(c, t, transition, now);
            return transition.Claim.Status;
        }, ct);
    }

    /// <summary>
    /// Who sees what a final approval would fix (<see cref="PreviewEntitlementAsync"/>): administrators, and staff of the
    /// claim's assigned office or of its insuring city — those who review it at one stage or the other.
    /// </summary>
    public static bool SeesEntitlementPreview(Claim claim, StaffMember staff) =>
        staff.Role == StaffRole.Administrator || staff.OfficeCode == claim.AssignedOffice || staff.CityCode == claim.InsuringCity;

    /// <summary>
    /// The entitlement a final approval would fix today (months, the city's standard in fen, first and last month), for
    /// the reviewer to see before deciding; nothing is stored. Null when there is no such application. Refused (403)
    /// for staff who can review it at neither stage — not of its assigned office nor of its insuring city — and (409)
    /// for a claim not waiting for first or final review.
    /// </summary>
    public async Task<Entitlement?> PreviewEntitlementAsync(string id, StaffMember staff, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out _)) return null;
        await using var c = await database.OpenAsync(ct);
        if (await ClaimStore.LoadAsync(c, null, id) is not { Claim: var claim }) return null;
        if (!SeesEntitlementPreview(claim, staff))
            throw new TransitionRefused(RefusalKind.Forbidden, RefusalCode.OutsideCaseScope, "Only staff of the assigned office or of the insuring city see this claim's entitlement.");
        if (claim.Status is not (ClaimStatus.FirstReview or ClaimStatus.FinalReview))
            throw new TransitionRefused(RefusalKind.Conflict, RefusalCode.NotWaitingForReview, $"The application is {claim.Status.Code()}: an entitlement is previewed only while it waits for review.");
        var (facts, earlier) = await EntitlementInputsAsync(c, null, claim);
        return FixEntitlement(claim, facts, earlier);
    }

    /// <summary>What fixing the entitlement reads: the verified contribution months, and the person's earlier entitlements.</summary>
    private static async Task<(EntitlementFacts Facts, List<(Entitlement, DateOnly?)> Earlier)> EntitlementInputsAsync(DbConnection c,
        DbTransaction? t, Claim claim)
    {
        var facts = await c.QuerySingleAsync<EntitlementFacts>(
            "SELECT contribution_months, carried_over_months, received_at, id_number_enc FROM applications WHERE id = @id",
            new { id = claim.Id.ToString() }, t);
        var earlier = (await c.QueryAsync<EarlierRow>(
            """
            SELECT entitlement_months, monthly_fen, start_month, end_month, stopped_on FROM applications
            WHERE person_key = (SELECT person_key FROM applications WHERE id = @id) AND id <> @id
              AND service_item = @serviceItem AND entitlement_months IS NOT NULL
            """, new { id = claim.Id.ToString(), serviceItem = claim.ServiceItem }, t))
            .Select(r => (new Entitlement((int)r.EntitlementMonths, r.MonthlyFen, YearMonth.Parse(r.StartMonth), YearMonth.Parse(r.EndMonth)),
                r.StoppedOn is null ? (DateOnly?)null : DateOnly.ParseExact(r.StoppedOn, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
        return (facts, earlier);
    }

    /// <summary>
    /// The entitlement approval fixes: months from the verified contributions, the city's standard today, up to or
    /// continued to the applicant's statutory retirement age.
    /// </summary>
    private Entitlement FixEntitlement(Claim claim, EntitlementFacts facts, IReadOnlyList<(Entitlement, DateOnly?)> earlier)
    {
        var today = Deadlines.LocalDate(clock.GetUtcNow());
        var standard = province.FindCity(claim.InsuringCity ?? "")?.StandardOn(today)
                       ?? throw new TransitionRefused(RefusalKind.Conflict, RefusalCode.NoBenefitStandard, "The insuring city has no benefit standard in force.");
        var registrationMonth = YearMonth.Of(Deadlines.LocalDate(DateTimeOffset.FromUnixTimeMilliseconds(facts.ReceivedAt)));
        return Entitlement.Fix((int)(facts.ContributionMonths ?? 0), (int)(facts.CarriedOverMonths ?? 0),
            province.Duration, standard, Entitlement.FirstUnpaidMonth(registrationMonth, earlier, province.Payouts.PartialMonth), ClaimFactsLoader.Retirement(protector.Decrypt(facts.IdNumberEnc), province));
    }

    private sealed class EarlierRow
    {
        public long EntitlementMonths { get; init; }
        public long MonthlyFen { get; init; }
        public string StartMonth { get; init; } = "";
        public string EndMonth { get; init; } = "";
        public string? StoppedOn { get; init; }
    }

    private sealed class EntitlementFacts
    {
        public long? ContributionMonths { get; init; }
        public long? CarriedOverMonths { get; init; }
        public long ReceivedAt { get; init; }
        public string IdNumberEnc { get; init; } = "";
    }
}
