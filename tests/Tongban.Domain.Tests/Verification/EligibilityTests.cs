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

    private static VerificationResult Assess(InsuredPerson? person, string claimedName = "王小明",
        PriorEntitlement? prior = null, bool otherOpenClaim = false) =>
        Eligibility.Assess(new ClaimFacts(claimedName, person, Now, prior, otherOpenClaim), TestProvince.Hainan());

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
}
