using System.Globalization;
using System.Data.Common;
using Dapper;
using Tongban.Domain;
using Tongban.Domain.Claims;
using Tongban.Domain.Entitlements;
using Tongban.Domain.Identifiers;
using Tongban.Domain.Province;
using Tongban.Domain.Verification;
using Tongban.PersonalData;
using Tongban.Registry;
using Tongban.Routing;

namespace Tongban.Verification;

/// <summary>Gathers what automatic verification decides from: the registry, earlier entitlements, other open claims.</summary>
public sealed class ClaimFactsLoader(RegistryStore registry, PersonalDataProtector protector, ProvinceConfig province, TimeProvider clock)
{
    public async Task<ClaimFacts> LoadAsync(DbConnection c, DbTransaction t, Claim claim, DateTimeOffset now)
    {
        var applicant = await c.QuerySingleAsync<ApplicantRow>(
            "SELECT person_key, id_number_enc, name_enc FROM applications WHERE id = @id", new { id = claim.Id.ToString() }, t);
        return new ClaimFacts(
            protector.Decrypt(applicant.NameEnc),
            await registry.FindAsync(c, t, applicant.PersonKey),
            YearMonth.Of(Deadlines.LocalDate(now)),
            await PriorEntitlementAsync(c, t, applicant.PersonKey, claim),
            await HasOtherOpenClaimAsync(c, t, applicant.PersonKey, claim),
            Retirement(protector.Decrypt(applicant.IdNumberEnc), province));
    }

    /// <summary>The applicant's statutory retirement: birth date and sex from the identity number, a woman's post from the province.</summary>
    public static StatutoryRetirement Retirement(string idNumber, ProvinceConfig province)
    {
        var document = IdentityNumber.Read(idNumber);
        return RetirementAge.For(document.BirthDate, document.Sex, province.Eligibility.WomenRetirementPost);
    }

    /// <summary>
    /// Where first review happens: the accepting office, or for an online claim an office of the insuring city, chosen by
    /// today's reviewers on duty (<see cref="OfficeRouter"/>).
    /// </summary>
    public async Task<string> FirstReviewOfficeAsync(DbConnection c, DbTransaction t, Claim claim, VerificationResult passed) =>
        claim.AcceptingOffice
        ?? (await OfficeRouter.ChooseAsync(c, t, province.FindCity(passed.InsuringCity!)!, Deadlines.LocalDate(clock.GetUtcNow()))).Code;

    /// <summary>
    /// The person's latest earlier benefit entitlement, stopped (its unused months carry over, 条例 art. 17) or paid out in
    /// full (none left): either way contributions are counted afresh after it (社会保险法 art. 46).
    /// </summary>
    private async Task<PriorEntitlement?> PriorEntitlementAsync(DbConnection c, DbTransaction t, string personKey, Claim claim)
    {
        var prior = await c.QueryFirstOrDefaultAsync<PriorRow>(
            """
            SELECT entitlement_months, monthly_fen, start_month, end_month, stopped_on FROM applications
            WHERE person_key = @personKey AND service_item = @serviceItem AND id <> @id
              AND status IN ('terminated', 'completed') AND entitlement_months IS NOT NULL
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
        public string IdNumberEnc { get; init; } = "";
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
