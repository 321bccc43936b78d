using System.Globalization;
using System.Data.Common;
using Dapper;
using Tongban.Domain;
using Tongban.Domain.Claims;
using Tongban.Domain.Entitlements;
using Tongban.Domain.Province;
using Tongban.Domain.Verification;
using Tongban.PersonalData;
using Tongban.Registry;
using Tongban.Routing;

namespace Tongban.Verification;

/// <summary>Gathers what automatic verification decides from: the registry, earlier entitlements, other open claims.</summary>
public sealed class ClaimFactsLoader(RegistryStore registry, PersonalDataProtector protector, ProvinceConfig province)
{
    public async Task<ClaimFacts> LoadAsync(DbConnection c, DbTransaction t, Claim claim, DateTimeOffset now)
    {
        var applicant = await c.QuerySingleAsync<ApplicantRow>(
            "SELECT person_key, name_enc FROM applications WHERE id = @id", new { id = claim.Id.ToString() }, t);
        return new ClaimFacts(
            protector.Decrypt(applicant.NameEnc),
            await registry.FindAsync(c, t, applicant.PersonKey),
            YearMonth.Of(Deadlines.LocalDate(now)),
            await PriorEntitlementAsync(c, t, applicant.PersonKey, claim),
            await HasOtherOpenClaimAsync(c, t, applicant.PersonKey, claim));
    }

    /// <summary>Where first review happens: the accepting office, or for an online claim an office of the insuring city.</summary>
    public async Task<string> FirstReviewOfficeAsync(DbConnection c, DbTransaction t, Claim claim, VerificationResult passed) =>
        claim.AcceptingOffice ?? (await OfficeRouter.ChooseAsync(c, t, province.FindCity(passed.InsuringCity!)!)).Code;

    /// <summary>The person's latest earlier benefit entitlement that ended with months unused (条例 art. 17).</summary>
    private async Task<PriorEntitlement?> PriorEntitlementAsync(DbConnection c, DbTransaction t, string personKey, Claim claim)
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
        var unused = prior.StoppedOn is null ? 0 : entitlement.UnusedMonthsAfter(DateOnly.ParseExact(prior.StoppedOn, "yyyy-MM-dd", CultureInfo.InvariantCulture), province.Payouts.PartialMonth);
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
