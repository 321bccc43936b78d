using System.Data.Common;
using System.Text.Json;
using Dapper;
using Tongban.Applications;
using Tongban.Domain;
using Tongban.Domain.Claims;
using Tongban.Domain.Entitlements;
using Tongban.Domain.Province;
using Tongban.Domain.Verification;
using Tongban.PersonalData;
using Tongban.Registry;
using Tongban.Routing;
using Tongban.Storage;
using Tongban.Work;

namespace Tongban.Verification;

/// <summary>
/// Automatic verification (零材料): checks the claim against the registry and the claims store, then
/// rejects it with reasons or assigns it to first review — in one transaction with the work item's completion.
/// </summary>
public sealed class VerifyApplicationHandler(Database database, WorkItems items, ClaimStore store,
    RegistryStore registry, PersonalDataProtector protector, ProvinceConfig province, TimeProvider clock) : IWorkHandler
{
    public const string Kind = "verify-application";

    string IWorkHandler.Kind => Kind;

    public Task HandleAsync(WorkItem item, CancellationToken ct) => database.InTransactionAsync(async (c, t) =>
    {
        var loaded = await ClaimStore.LoadAsync(c, t, item.Payload);
        if (loaded is { Claim.Status: ClaimStatus.Verifying } found)
        {
            var (claim, receivedAt) = found;
            var now = clock.GetUtcNow();
            var applicant = await c.QuerySingleAsync<ApplicantRow>(
                "SELECT person_key, name_enc FROM applications WHERE id = @id", new { id = item.Payload }, t);
            var personKey = applicant.PersonKey;
            var facts = new ClaimFacts(
                protector.Decrypt(applicant.NameEnc),
                await registry.FindAsync(c, t, personKey),
                YearMonth.Of(Deadlines.LocalDate(now)),
                await PriorEntitlementAsync(c, t, personKey, claim),
                await HasOtherOpenClaimAsync(c, t, personKey, claim));
            var result = Eligibility.Assess(facts, province);
            string? office = null;
            if (result.Passed)
                office = claim.AcceptingOffice ?? (await OfficeRouter.ChooseAsync(c, t, province.FindCity(result.InsuringCity!)!)).Code;
            var transition = ClaimWorkflow.CompleteVerification(claim, result, office);
            await store.ApplyAsync(c, t, transition, claim.Version, receivedAt, now);
            await c.ExecuteAsync(
                "UPDATE applications SET findings_json = @findings, contribution_months = @months, carried_over_months = @carried WHERE id = @id",
                new { id = item.Payload, findings = JsonSerializer.Serialize(result.Findings), months = result.ContributionMonths, carried = result.CarriedOverMonths }, t);
        }
        await items.CompleteAsync(c, t, item);
    }, ct);

    /// <summary>The person's latest earlier benefit entitlement that ended with months unused (条例 art. 17).</summary>
    private static async Task<PriorEntitlement?> PriorEntitlementAsync(DbConnection c, DbTransaction t, string personKey, Claim claim)
    {
        var prior = await c.QueryFirstOrDefaultAsync<PriorRow>(
            """
            SELECT entitlement_months, monthly_fen, start_month, end_month, stopped_on FROM applications
            WHERE person_key = @personKey AND service_item = @serviceItem AND id <> @id
              AND status = 'terminated' AND entitlement_months IS NOT NULL
            ORDER BY start_month DESC
            """, new { personKey, serviceItem = claim.ServiceItem, id = claim.Id.ToString() }, t);
        if (prior is null) return null;
        var entitlement = new Entitlement((int)prior.EntitlementMonths, prior.MonthlyFen,
            YearMonth.Parse(prior.StartMonth), YearMonth.Parse(prior.EndMonth));
        var unused = prior.StoppedOn is null ? 0 : entitlement.UnusedMonthsAfter(DateOnly.Parse(prior.StoppedOn));
        return new PriorEntitlement(entitlement.StartMonth, unused);
    }

    private static async Task<bool> HasOtherOpenClaimAsync(DbConnection c, DbTransaction t, string personKey, Claim claim) =>
        await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM applications WHERE person_key = @personKey AND service_item = @serviceItem AND id <> @id AND is_open = 1",
            new { personKey, serviceItem = claim.ServiceItem, id = claim.Id.ToString() }, t) > 0;

    private sealed class ApplicantRow
    {
        public string PersonKey { get; init; } = "";
        public string NameEnc { get; init; } = "";
    }

    private sealed class PriorRow
    {
        public long EntitlementMonths { get; init; }
        public long MonthlyFen { get; init; }
        public string StartMonth { get; init; } = "";
        public string EndMonth { get; init; } = "";
        public string? StoppedOn { get; init; }
    }
}
