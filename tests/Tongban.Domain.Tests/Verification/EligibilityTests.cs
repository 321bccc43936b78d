using Tongban.Domain.Entitlements;
using Tongban.Domain.Identifiers;
using Tongban.Domain.Province;
using Tongban.Domain.Registry;
using Tongban.Domain.Tests.Support;
using Tongban.Domain.Verification;

namespace Tongban.Domain.Tests.Verification;

public class EligibilityTests
{
    private static readonly YearMonth Now = new(2026, 11);
    private const string Employer = "91350100M000100Y43";
    private const string OtherEmployer = "91460100MA5T30QK0L";

    private static ContributionSpell Spell(string city, string start, string? end, SeparationReason? reason, string employer = Employer) =>
        new(employer, city, YearMonth.Parse(start), end is null ? null : YearMonth.Parse(end), reason);

    private static InsuredPerson Person(params ContributionSpell[] spells) => new("王小明", spells);

    /// <summary>A man born in 1985: statutory retirement at 63, in 2048.</summary>
    private static readonly StatutoryRetirement Young = RetirementAge.For(new DateOnly(1985, 3, 15), Sex.Male, WomanPost.Worker);

    private static VerificationResult Assess(InsuredPerson? person, string claimedName = "王小明",
        PriorEntitlement? prior = null, bool otherOpenClaim = false, StatutoryRetirement? retirement = null, ProvinceConfig? province = null,
        bool deathReported = false, DateOnly? reemployedOn = null) =>
        Eligibility.Assess(new ClaimFacts(claimedName, person, Now, prior, otherOpenClaim, retirement ?? Young, deathReported, reemployedOn),
            province ?? TestProvince.Hainan());

    private static string[] Codes(VerificationResult result) => [.. result.Findings.Select(f => f.Code)];

    [Fact]
    public void Seven_years_ended_by_contract_expiry_passes_with_the_months_counted()
    {
        var result = Assess(Person(Spell("460100", "2019-09", "2026-08", SeparationReason.ContractExpired)));

        Assert.True(result.Passed);
        Assert.Empty(result.Findings);
        Assert.Equal(84, result.ContributionMonths);
        Assert.Equal(0, result.CarriedOverMonths);
    }

    [Fact]
    public void A_person_whose_death_was_reported_is_refused_whatever_the_registry_says()
    {
        var result = Assess(Person(Spell("460100", "2019-09", "2026-08", SeparationReason.ContractExpired)), deathReported: true);

        Assert.Equal(["deceased"], Codes(result));
    }

    [Theory]
    [InlineData("2026-09-10", "2026-08", false)] // back in work after the last spell the registry knows ended: still employed
    [InlineData("2026-08-20", "2026-08", true)]  // the registry shows a job ending in the month of the report: that job ended
    [InlineData("2026-03-02", "2026-08", true)]  // back in work in March, the new job ended in August
    public void A_person_reported_back_in_work_qualifies_only_once_the_registry_shows_that_job_ended(string reemployed, string ended, bool passes)
    {
        var result = Assess(Person(
            Spell("460100", "2019-09", "2026-02", SeparationReason.ContractExpired),
            Spell("460100", "2026-03", ended, SeparationReason.EmployerClosed, OtherEmployer)),
            reemployedOn: DateOnly.Parse(reemployed, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(passes ? [] : ["reemployed"], Codes(result));
    }

    [Theory]
    [InlineData(SeparationReason.ContractExpired)]
    [InlineData(SeparationReason.EmployerTerminated)]
    [InlineData(SeparationReason.EmployerClosed)]
    [InlineData(SeparationReason.MutualAgreement)]
    [InlineData(SeparationReason.Dismissed)]
    [InlineData(SeparationReason.ResignedEmployerFault)]
    public void Every_involuntary_ending_qualifies(SeparationReason reason)
    {
        Assert.True(Assess(Person(Spell("460100", "2024-01", "2026-09", reason))).Passed);
    }

    [Fact]
    public void Passing_claim_is_insured_in_the_city_of_the_latest_spell()
    {
        // Listed out of order: the latest spell by date decides, not the order the registry sent.
        var result = Assess(Person(
            Spell("460200", "2024-03", "2026-09", SeparationReason.MutualAgreement, OtherEmployer),
            Spell("460100", "2018-01", "2024-02", SeparationReason.Resigned)));

        Assert.True(result.Passed);
        Assert.Equal("460200", result.InsuringCity);
        Assert.Equal(105, result.ContributionMonths);
    }

    [Fact]
    public void Unknown_identity_is_ruled_out_alone()
    {
        var result = Assess(null);

        Assert.False(result.Passed);
        Assert.Equal(["identity-not-found"], Codes(result));
        Assert.Null(result.InsuringCity);
    }

    [Fact]
    public void Name_that_differs_from_the_registry_is_ruled_out()
    {
        var result = Assess(Person(Spell("460100", "2019-09", "2026-08", SeparationReason.ContractExpired)), claimedName: "王晓明");

        Assert.Equal(["name-mismatch"], Codes(result));
    }

    [Fact]
    public void Name_typed_with_surrounding_spaces_still_matches()
    {
        Assert.True(Assess(Person(Spell("460100", "2019-09", "2026-08", SeparationReason.ContractExpired)), claimedName: " 王小明 ").Passed);
    }

    [Fact]
    public void Eleven_months_are_not_enough()
    {
        var result = Assess(Person(Spell("460100", "2025-10", "2026-08", SeparationReason.ContractExpired)));

        Assert.Equal(["insufficient-contributions"], Codes(result));
        Assert.Equal(11, result.ContributionMonths);
    }

    [Fact]
    public void Twelve_months_are_enough()
    {
        var result = Assess(Person(Spell("460100", "2025-09", "2026-08", SeparationReason.ContractExpired)));

        Assert.True(result.Passed);
        Assert.Equal(12, result.ContributionMonths);
    }

    [Fact]
    public void Months_from_several_employers_and_cities_add_up()
    {
        var result = Assess(Person(
            Spell("460200", "2025-01", "2025-06", SeparationReason.Resigned, OtherEmployer),
            Spell("460100", "2026-03", "2026-08", SeparationReason.EmployerClosed)));

        Assert.True(result.Passed);
        Assert.Equal(12, result.ContributionMonths);
    }

    [Fact]
    public void Overlapping_spells_count_each_month_once()
    {
        // 2025-01..08 and 2025-05..10 overlap for four months: ten distinct months, not fourteen.
        var result = Assess(Person(
            Spell("460100", "2025-01", "2025-08", SeparationReason.Resigned, OtherEmployer),
            Spell("460100", "2025-05", "2025-10", SeparationReason.ContractExpired)));

        Assert.Equal(10, result.ContributionMonths);
        Assert.Equal(["insufficient-contributions"], Codes(result));
    }

    [Fact]
    public void Person_still_contributing_is_ruled_out()
    {
        var result = Assess(Person(
            Spell("460100", "2015-01", "2025-12", SeparationReason.ContractExpired),
            Spell("460200", "2026-01", null, null, OtherEmployer)));

        Assert.Equal(["still-contributing"], Codes(result));
    }

    [Fact]
    public void Job_still_held_rules_out_even_when_a_later_second_job_ended()
    {
        // Not eligible while insured anywhere: the side job ended, the main job did not.
        var result = Assess(Person(
            Spell("460100", "2015-01", null, null),
            Spell("460200", "2026-01", "2026-08", SeparationReason.ContractExpired, OtherEmployer)));

        Assert.Equal(["still-contributing"], Codes(result));
        Assert.Equal("460100", result.InsuringCity);
    }

    [Fact]
    public void Of_two_overlapping_jobs_the_one_that_ended_last_decides()
    {
        var result = Assess(Person(
            Spell("460100", "2020-01", "2026-09", SeparationReason.Resigned),
            Spell("460200", "2026-01", "2026-08", SeparationReason.ContractExpired, OtherEmployer)));

        Assert.Equal(["voluntary-separation"], Codes(result));
        Assert.Equal("460100", result.InsuringCity);
    }

    [Fact]
    public void Open_spell_counts_up_to_the_current_month()
    {
        var result = Assess(Person(Spell("460100", "2026-01", null, null)));

        Assert.Equal(11, result.ContributionMonths);
        Assert.Contains("still-contributing", Codes(result));
    }

    [Fact]
    public void Retired_person_is_ruled_out_as_on_pension()
    {
        var result = Assess(Person(Spell("460100", "1996-01", "2026-05", SeparationReason.Retired)));

        Assert.Equal(["on-pension"], Codes(result));
    }

    [Fact]
    public void Plain_resignation_is_voluntary()
    {
        var result = Assess(Person(Spell("460100", "2019-09", "2026-08", SeparationReason.Resigned)));

        Assert.Equal(["voluntary-separation"], Codes(result));
    }

    [Fact]
    public void Only_the_latest_ending_matters()
    {
        var result = Assess(Person(
            Spell("460100", "2015-01", "2020-12", SeparationReason.ContractExpired),
            Spell("460100", "2021-01", "2026-08", SeparationReason.Resigned, OtherEmployer)));

        Assert.Equal(["voluntary-separation"], Codes(result));
    }

    [Fact]
    public void Another_open_claim_is_ruled_out()
    {
        var result = Assess(Person(Spell("460100", "2019-09", "2026-08", SeparationReason.ContractExpired)), otherOpenClaim: true);

        Assert.Equal(["other-open-claim"], Codes(result));
    }

    [Fact]
    public void Person_last_insured_in_another_province_must_transfer_first()
    {
        var result = Assess(Person(
            Spell("460100", "2015-01", "2024-12", SeparationReason.ContractExpired),
            Spell("440300", "2025-01", "2026-08", SeparationReason.EmployerClosed, OtherEmployer)));

        Assert.Equal(["insured-outside-province"], Codes(result));
        Assert.Equal("440300", result.InsuringCity);
    }

    [Fact]
    public void Every_reason_is_reported_at_once()
    {
        var result = Assess(Person(Spell("440300", "2026-05", "2026-08", SeparationReason.Resigned)), otherOpenClaim: true);

        string[] expected = ["insufficient-contributions", "voluntary-separation", "other-open-claim", "insured-outside-province"];
        Assert.Equal(expected.Order(), Codes(result).Order());
        Assert.All(result.Findings, f => Assert.False(string.IsNullOrWhiteSpace(f.Message)));
    }

    [Fact]
    public void Unused_months_of_an_earlier_entitlement_let_a_short_new_job_pass()
    {
        var result = Assess(
            Person(
                Spell("460100", "2014-01", "2024-12", SeparationReason.ContractExpired),
                Spell("460200", "2026-01", "2026-07", SeparationReason.EmployerTerminated, OtherEmployer)),
            prior: new PriorEntitlement(new YearMonth(2025, 1), UnusedMonths: 6));

        Assert.True(result.Passed);
        Assert.Equal(6, result.CarriedOverMonths);
        Assert.Equal("460200", result.InsuringCity);
    }

    [Fact]
    public void Contributions_already_used_for_an_earlier_entitlement_are_not_counted_again()
    {
        // After re-employment the count starts again (社会保险法 art. 46): only the seven new months count.
        var result = Assess(
            Person(
                Spell("460100", "2014-01", "2024-12", SeparationReason.ContractExpired),
                Spell("460200", "2026-01", "2026-07", SeparationReason.EmployerTerminated, OtherEmployer)),
            prior: new PriorEntitlement(new YearMonth(2025, 1), UnusedMonths: 6));

        Assert.Equal(7, result.ContributionMonths);
    }

    [Fact]
    public void Earlier_entitlement_used_up_leaves_a_short_new_job_insufficient()
    {
        var result = Assess(
            Person(
                Spell("460100", "2014-01", "2024-12", SeparationReason.ContractExpired),
                Spell("460200", "2026-01", "2026-07", SeparationReason.EmployerTerminated, OtherEmployer)),
            prior: new PriorEntitlement(new YearMonth(2025, 1), UnusedMonths: 0));

        Assert.Equal(["insufficient-contributions"], Codes(result));
    }

    [Theory]
    [InlineData("阿依古丽·买买提", "阿依古丽•买买提")]
    [InlineData("阿依古丽·买买提", "阿依古丽 ・ 买买提")]
    [InlineData("阿依古丽・买买提", "阿依古丽·买买提")]
    [InlineData("阿依古丽．买买提", "阿依古丽.买买提")]
    public void A_middle_dot_keyed_differently_still_matches_the_registry(string registered, string typed)
    {
        var person = new InsuredPerson(registered, [Spell("460100", "2019-09", "2026-08", SeparationReason.ContractExpired)]);

        Assert.True(Assess(person, claimedName: typed).Passed);
    }

    [Fact]
    public void A_dropped_middle_dot_is_a_name_mismatch()
    {
        var person = new InsuredPerson("阿依古丽·买买提", [Spell("460100", "2019-09", "2026-08", SeparationReason.ContractExpired)]);

        Assert.Equal(["name-mismatch"], Codes(Assess(person, claimedName: "阿依古丽买买提")));
    }

    [Fact]
    public void A_name_outside_the_BMP_matches_itself()
    {
        var person = new InsuredPerson("\U00020BB7祥云", [Spell("460100", "2019-09", "2026-08", SeparationReason.ContractExpired)]);

        Assert.True(Assess(person, claimedName: "\U00020BB7祥云").Passed);
        Assert.Equal(["name-mismatch"], Codes(Assess(person, claimedName: "吉祥云")));
    }

    [Fact]
    public void A_claim_filed_years_after_the_job_ended_is_not_refused_for_lateness()
    {
        var result = Assess(Person(Spell("460100", "2012-03", "2019-06", SeparationReason.EmployerClosed)));

        Assert.True(result.Passed);
        Assert.Equal(88, result.ContributionMonths);
    }

    [Fact]
    public void A_person_past_the_statutory_retirement_age_is_ruled_out()
    {
        // A man born 1966-05 reached 60 years 5 months in October 2026; November is past it.
        var retirement = RetirementAge.For(new DateOnly(1966, 5, 10), Sex.Male, WomanPost.Worker);

        Assert.Equal(new YearMonth(2026, 10), retirement.Month);
        Assert.Equal(["past-retirement-age"], Codes(Assess(Person(Spell("460100", "2019-09", "2026-08", SeparationReason.ContractExpired)),
            retirement: retirement)));
    }

    [Fact]
    public void A_person_reaching_the_age_this_month_may_still_claim_its_benefit()
    {
        var retirement = new StatutoryRetirement(60, 5, new DateOnly(2026, 11, 28));

        Assert.True(Assess(Person(Spell("460100", "2019-09", "2026-08", SeparationReason.ContractExpired)), retirement: retirement).Passed);
    }

    [Fact]
    public void A_woman_of_51_in_a_worker_post_is_past_her_age_in_a_cadre_post_she_is_not()
    {
        var birth = new DateOnly(1975, 8, 1);
        var person = Person(Spell("460100", "2019-09", "2026-08", SeparationReason.ContractExpired));

        Assert.Equal(["past-retirement-age"], Codes(Assess(person, retirement: RetirementAge.For(birth, Sex.Female, WomanPost.Worker))));
        Assert.True(Assess(person, retirement: RetirementAge.For(birth, Sex.Female, WomanPost.Cadre)).Passed);
    }

    [Fact]
    public void Whether_a_mutual_agreement_qualifies_is_the_provinces_to_decide()
    {
        var person = Person(Spell("460100", "2019-09", "2026-08", SeparationReason.MutualAgreement));
        var strict = TestProvince.Hainan() with { Eligibility = new EligibilityRules(false, WomanPost.Worker) };

        Assert.True(Assess(person).Passed);
        Assert.Equal(["mutual-agreement-not-covered"], Codes(Assess(person, province: strict)));
        Assert.True(Assess(Person(Spell("460100", "2019-09", "2026-08", SeparationReason.ContractExpired)), province: strict).Passed);
    }

    /// <summary>
    /// Ten years before an earlier entitlement (from 2015-12), then a new job ending in 2026-08 after <c>newMonths</c>:
    /// only the new job counts, plus the three months left from before, capped at 24.
    /// </summary>
    [Theory]
    [InlineData(11, 3)]
    [InlineData(12, 15)]
    [InlineData(59, 15)]
    [InlineData(60, 21)]
    [InlineData(119, 21)]
    [InlineData(120, 24)]
    public void After_re_employment_the_new_job_counts_alone_plus_the_months_left(int newMonths, int benefitMonths)
    {
        var result = Assess(AfterAnEarlierEntitlement(newMonths), prior: new PriorEntitlement(new YearMonth(2015, 12), UnusedMonths: 3));

        Assert.True(result.Passed);
        Assert.Equal(newMonths, result.ContributionMonths);
        Assert.Equal(3, result.CarriedOverMonths);
        Assert.Equal(benefitMonths, Entitlement.Fix(result.ContributionMonths, result.CarriedOverMonths, TestProvince.NationalScale(),
            183000, Now, Young).Months);
    }

    [Theory]
    [InlineData(11, 0)]
    [InlineData(12, 12)]
    [InlineData(59, 12)]
    [InlineData(60, 18)]
    [InlineData(119, 18)]
    [InlineData(120, 24)]
    public void After_an_entitlement_used_up_the_new_job_counts_alone(int newMonths, int benefitMonths)
    {
        var result = Assess(AfterAnEarlierEntitlement(newMonths), prior: new PriorEntitlement(new YearMonth(2015, 12), UnusedMonths: 0));

        Assert.Equal(newMonths, result.ContributionMonths);
        Assert.Equal(benefitMonths > 0, result.Passed);
        Assert.Equal(benefitMonths, TestProvince.NationalScale().BenefitMonthsFor(result.ContributionMonths));
    }

    private static InsuredPerson AfterAnEarlierEntitlement(int newMonths) => Person(
        Spell("460100", "2005-01", "2015-10", SeparationReason.ContractExpired),
        Spell("460200", YearMonth.Parse("2026-08").AddMonths(1 - newMonths).ToString(), "2026-08", SeparationReason.EmployerClosed, OtherEmployer));
}
