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
using Tongban.Storage;

namespace Tongban.Verification;

/// <summary>Gathers what automatic verification decides from: the registry, earlier entitlements, other open claims.</summary>
public sealed class ClaimFactsLoader(Database database, RegistryStore registry, PersonalDataProtector protector, ProvinceConfig province, TimeProvider clock)
{
    /// <summary>
    /// Everything verification reads about each of <paramref name="claims"/>, in one round trip however many: the
    /// applicant, what the registry knows of them, their latest earlier entitlement, whether they have another open
    /// claim for the same service item, whether their death was reported, and when they were last reported back in work
    /// (a <c>reemployed</c> stop of an earlier claim: its <c>stopped_on</c>). Keyed by claim id.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, ClaimFacts>> LoadManyAsync(DbConnection c, DbTransaction t, IReadOnlyList<Claim> claims, DateTimeOffset now)
    {
        var ids = claims.Select(claim => claim.Id.ToString()).ToArray();
        // Per-claim lookups are scalar subqueries, which every plan runs row by row on their indexes: as joins or EXISTS,
        // a cached generic plan (PostgreSQL with automatic preparation) may hash the whole table instead.
        await using var results = await c.QueryMultipleAsync(
            $"""
            SELECT a.id, a.person_key, a.id_number_enc, a.name_enc,
                   (SELECT COUNT(*) FROM applications o WHERE o.person_key = a.person_key AND o.service_item = a.service_item
                      AND o.id <> a.id AND o.is_open = 1) AS other_open_claims,
                   (SELECT COUNT(*) FROM death_reports d WHERE d.person_key = a.person_key) AS death_reports,
                   (SELECT MAX(o.stopped_on) FROM applications o WHERE o.person_key = a.person_key AND o.id <> a.id AND o.stopped_on IS NOT NULL
                      AND EXISTS (SELECT 1 FROM application_events e WHERE e.application_id = o.id AND e.type = 'stopped'
                                  AND e.data_json LIKE '%"event":"reemployed"%')) AS reemployed_on
            FROM applications a WHERE {database.In("a.id", "ids")};
            {RegistryStore.PersonsQuery($"p.person_key IN (SELECT person_key FROM applications WHERE {database.In("id", "ids")})")};
            SELECT a.id AS application_id, o.entitlement_months, o.monthly_fen, o.start_month, o.end_month, o.stopped_on
            FROM applications a JOIN applications o ON o.person_key = a.person_key AND o.service_item = a.service_item
            WHERE {database.In("a.id", "ids")} AND o.id <> a.id AND o.status IN ('terminated', 'completed') AND o.entitlement_months IS NOT NULL
            ORDER BY a.id, o.start_month DESC;
            """, new { ids }, t);
        var applicants = (await results.ReadAsync<ApplicantRow>()).ToDictionary(a => a.Id);
        var people = (await results.ReadAsync<RegistryStore.PersonRow>()).GroupBy(r => r.PersonKey).ToDictionary(g => g.Key, g => g.ToList());
        var priors = (await results.ReadAsync<PriorRow>()).GroupBy(p => p.ApplicationId).ToDictionary(g => g.Key, g => g.First());
        var month = YearMonth.Of(Deadlines.LocalDate(now));
        return claims.ToDictionary(claim => claim.Id, claim =>
        {
            var id = claim.Id.ToString();
            var applicant = applicants[id];
            return new ClaimFacts(
                protector.Decrypt(applicant.NameEnc),
                registry.Read(people.GetValueOrDefault(applicant.PersonKey) ?? []),
                month,
                Prior(priors.GetValueOrDefault(id)),
                applicant.OtherOpenClaims > 0,
                Retirement(protector.Decrypt(applicant.IdNumberEnc), province),
                applicant.DeathReports > 0,
                applicant.ReemployedOn is { } back ? DateOnly.ParseExact(back, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null);
        });
    }

    /// <summary>The applicant's statutory retirement: birth date and sex from the identity number, a woman's post from the province.</summary>
    public static StatutoryRetirement Retirement(string idNumber, ProvinceConfig province)
    {
        var document = IdentityNumber.Read(idNumber);
        return RetirementAge.For(document.BirthDate, document.Sex, province.Eligibility.WomenRetirementPost);
    }

    /// <summary>
    /// Where first review happens for each claim that passed: the accepting office, or for an online claim an office of
    /// the insuring city, chosen by today's reviewers on duty (<see cref="OfficeRouter"/>; each city's offices read
    /// once, the batch spread over them as if the claims came one at a time). Keyed by claim id.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, string>> FirstReviewOfficesAsync(DbConnection c, DbTransaction t,
        IReadOnlyList<(Claim Claim, VerificationResult Passed)> claims)
    {
        var today = Deadlines.LocalDate(clock.GetUtcNow());
        var offices = new Dictionary<Guid, string>();
        var routings = new Dictionary<string, OfficeRouter.CityRouting>();
        foreach (var (claim, passed) in claims)
        {
            if (claim.AcceptingOffice is { } accepting) { offices[claim.Id] = accepting; continue; }
            var city = passed.InsuringCity!;
            if (!routings.TryGetValue(city, out var routing))
                routings[city] = routing = await OfficeRouter.LoadAsync(c, t, province.FindCity(city)!, today);
            offices[claim.Id] = routing.Next().Code;
        }
        return offices;
    }

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
        public string Id { get; init; } = "";
        public string PersonKey { get; init; } = "";
        public long OtherOpenClaims { get; init; }
        public long DeathReports { get; init; }
        public string? ReemployedOn { get; init; }
        public string IdNumberEnc { get; init; } = "";
        public string NameEnc { get; init; } = "";
    }

    private sealed class PriorRow
    {
        public string ApplicationId { get; init; } = "";
        public long EntitlementMonths { get; init; }
        public long MonthlyFen { get; init; }
        public string StartMonth { get; init; } = "";
        public string EndMonth { get; init; } = "";
        public string? StoppedOn { get; init; }
    }
}
