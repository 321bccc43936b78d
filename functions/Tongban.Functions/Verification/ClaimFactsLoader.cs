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
    /// <summary>
    /// Everything verification reads, in one round trip: the applicant, what the registry knows of them, their latest
    /// earlier entitlement and whether they have another open claim for the same service item.
    /// </summary>
    public async Task<ClaimFacts> LoadAsync(DbConnection c, DbTransaction t, Claim claim, DateTimeOffset now)
    {
        const string personKey = "(SELECT person_key FROM applications WHERE id = @id)";
        await using var results = await c.QueryMultipleAsync(
            $"""
            SELECT id_number_enc, name_enc FROM applications WHERE id = @id;
            {RegistryStore.PersonQuery(personKey)};
            SELECT entitlement_months, monthly_fen, start_month, end_month, stopped_on FROM applications
            WHERE person_key = {personKey} AND service_item = @serviceItem AND id <> @id
              AND status IN ('terminated', 'completed') AND entitlement_months IS NOT NULL
            ORDER BY start_month DESC LIMIT 1;
            SELECT COUNT(*) FROM applications
            WHERE person_key = {personKey} AND service_item = @serviceItem AND id <> @id AND is_open = 1;
            """, new { id = claim.Id.ToString(), serviceItem = claim.ServiceItem }, t);
        var applicant = await results.ReadSingleAsync<ApplicantRow>();
        var person = registry.Read((await results.ReadAsync<RegistryStore.PersonRow>()).AsList());
        var prior = await results.ReadSingleOrDefaultAsync<PriorRow>();
        var otherOpenClaims = await results.ReadSingleAsync<long>();
        return new ClaimFacts(
            protector.Decrypt(applicant.NameEnc),
            person,
            YearMonth.Of(Deadlines.LocalDate(now)),
            Prior(prior),
            otherOpenClaims > 0,
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
    private PriorEntitlement? Prior(PriorRow? prior)
    {
        if (prior is null) return null;
        var entitlement = new Entitlement((int)prior.EntitlementMonths, prior.MonthlyFen,
            YearMonth.Parse(prior.StartMonth), YearMonth.Parse(prior.EndMonth));
        var unused = prior.StoppedOn is null ? 0 : entitlement.UnusedMonthsAfter(DateOnly.ParseExact(prior.StoppedOn, "yyyy-MM-dd", CultureInfo.InvariantCulture), province.Payouts.PartialMonth);
        return new PriorEntitlement(entitlement.StartMonth, unused);
    }

    private sealed class ApplicantRow
    {
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
