using System.Text.RegularExpressions;
using Tongban.Domain.Entitlements;
using Tongban.Domain.Identifiers;
using Tongban.Domain.Province;
using Tongban.Domain.Registry;
using Tongban.Domain.Tests.Support;
using Tongban.Domain.Verification;

namespace Tongban.Domain.Tests.Registry;

public class DemoPopulationTests
{
    private static readonly YearMonth Now = new(2026, 11);
    private static readonly string[] Cities = ["460100", "460200", "460300", "460400"];
    private const int People = 480;

    private static readonly ProvinceConfig Hainan = TestProvince.Hainan(
        new City("460300", "三沙", [new Office("460300-01", "三沙市社保中心", 1)], [new BenefitStandard(new DateOnly(2024, 1, 1), 183000)]),
        new City("460400", "儋州", [new Office("460400-01", "儋州市社保中心", 2)], [new BenefitStandard(new DateOnly(2024, 1, 1), 175000)]));

    private static readonly List<RegistryRow> Rows = [.. DemoPopulation.Generate(People, 2026, Cities, Now)];
    private static readonly List<IGrouping<string, RegistryRow>> Persons = [.. Rows.GroupBy(r => r.IdNumber)];

    private static InsuredPerson ToInsuredPerson(IEnumerable<RegistryRow> rows)
    {
        var list = rows.ToList();
        return new InsuredPerson(list[0].Name, [.. list.Select(r => new ContributionSpell(
            r.EmployerCode, r.CityCode, YearMonth.Parse(r.StartMonth),
            r.EndMonth == "" ? null : YearMonth.Parse(r.EndMonth),
            r.SeparationReason == "" ? null : SeparationReasons.TryParse(r.SeparationReason, out var reason) ? reason : throw new FormatException(r.SeparationReason)))]);
    }

    private static StatutoryRetirement Retirement(string idNumber)
    {
        var document = IdentityNumber.Read(idNumber);
        return RetirementAge.For(document.BirthDate, document.Sex, WomanPost.Worker);
    }

    private static VerificationResult Assess(IGrouping<string, RegistryRow> person) =>
        Eligibility.Assess(new ClaimFacts(person.First().Name, ToInsuredPerson(person), Now, null, false, Retirement(person.Key)), Hainan);

    private static bool Ordinary(IGrouping<string, RegistryRow> person) =>
        IdentityNumber.Read(person.Key).Kind == DocumentKind.ResidentId && Regex.IsMatch(person.First().Name, @"^\p{IsCJKUnifiedIdeographs}+$");

    [Fact]
    public void Same_seed_gives_the_same_rows()
    {
        Assert.Equal(Rows, DemoPopulation.Generate(People, 2026, Cities, Now));
    }

    [Fact]
    public void Enumerating_again_gives_the_same_rows()
    {
        var population = DemoPopulation.Generate(50, 7, Cities, Now);

        Assert.Equal(population.ToList(), population.ToList());
    }

    [Fact]
    public void Different_seed_gives_different_people()
    {
        var other = DemoPopulation.Generate(People, 2027, Cities, Now).Select(r => r.IdNumber).ToHashSet();

        Assert.True(Rows.Count(r => other.Contains(r.IdNumber)) < Rows.Count / 10);
    }

    [Fact]
    public void Population_has_the_number_of_people_asked_for()
    {
        Assert.Equal(People, Persons.Count);
        Assert.Empty(DemoPopulation.Generate(0, 1, Cities, Now));
    }

    [Fact]
    public void Every_identity_number_is_valid_for_GB_11643()
    {
        Assert.All(Rows, r =>
        {
            Assert.Null(IdentityNumber.Validate(r.IdNumber, Now.FirstDay, out var document));
            Assert.Equal(r.IdNumber, document!.Number);
            Assert.Equal(Gb11643.WithCheckCharacter(r.IdNumber[..17]), r.IdNumber);
        });
    }

    [Fact]
    public void Resident_identity_numbers_are_born_in_the_cities_given()
    {
        var prefixes = Cities.Select(c => c[..4]).ToHashSet();

        var residents = Persons.Where(p => IdentityNumber.Read(p.Key).Kind == DocumentKind.ResidentId).ToList();

        Assert.All(residents, p => Assert.Contains(p.Key[..4], prefixes));
        Assert.Equal(Cities.Length, residents.Select(p => p.Key[..4]).Distinct().Count());
    }

    [Fact]
    public void Working_people_are_adults_below_their_statutory_retirement_age_and_the_retired_past_it()
    {
        Assert.All(Persons, p =>
        {
            var birth = IdentityNumber.BirthDate(p.Key);
            Assert.True(birth.AddYears(20) <= Now.FirstDay, p.Key);
            var retired = p.Last().SeparationReason == "retired";
            Assert.Equal(retired, Retirement(p.Key).Month < Now);
        });
    }

    [Fact]
    public void Both_sexes_appear_by_the_parity_of_the_sequence()
    {
        var men = Persons.Count(p => (p.Key[16] - '0') % 2 == 1);

        Assert.InRange(men, People / 4, People * 3 / 4);
    }

    [Fact]
    public void Each_person_has_one_name_mobile_and_account_on_every_row()
    {
        Assert.All(Persons, p =>
        {
            Assert.Single(p.Select(r => r.Name).Distinct());
            Assert.Single(p.Select(r => r.Mobile).Distinct());
            Assert.Single(p.Select(r => r.BankAccount).Distinct());
        });
        Assert.Equal(People, Persons.Select(p => p.First().Mobile).Distinct().Count());
        Assert.Equal(People, Persons.Select(p => p.First().BankAccount).Distinct().Count());
    }

    [Fact]
    public void Names_are_Chinese_names_of_two_to_four_characters()
    {
        var names = Persons.Where(Ordinary).Select(p => p.First().Name).ToList();

        Assert.All(names, n => Assert.Matches(new Regex(@"^\p{IsCJKUnifiedIdeographs}{2,4}$"), n));
        Assert.True(names.Select(n => n[..1]).Distinct().Count() > 20, "surnames should vary");
        Assert.True(names.Distinct().Count() > People * 0.8, "names should mostly differ");
    }

    [Fact]
    public void The_first_eligible_people_are_a_permit_holder_a_name_with_a_middle_dot_and_one_outside_the_BMP()
    {
        var showcase = Persons.Where(p => Assess(p).Passed).Take(3).ToList();

        Assert.Equal(DocumentKind.TaiwanPermit, IdentityNumber.Read(showcase[0].Key).Kind);
        Assert.StartsWith("830000", showcase[0].Key);
        Assert.Contains('\u00B7', showcase[1].First().Name);
        Assert.Contains(showcase[2].First().Name.EnumerateRunes(), r => !r.IsBmp);
        Assert.All(showcase, p =>
        {
            Assert.Null(PersonName.Validate(p.First().Name, out var normalized));
            Assert.Equal(p.First().Name, normalized);
        });
        Assert.Equal(3, Persons.Count(p => !Ordinary(p)));
    }

    [Fact]
    public void Even_a_small_demo_has_its_showcase_people()
    {
        var small = DemoPopulation.Generate(24, 99, ["460200"], Now).GroupBy(r => r.IdNumber).ToList();

        Assert.Equal(3, small.Count(p => !Ordinary(p)));
    }

    [Fact]
    public void Every_mobile_is_a_mainland_mobile_number()
    {
        Assert.All(Rows, r =>
        {
            Assert.True(MobileNumber.TryNormalize(r.Mobile, out var normalized));
            Assert.Equal(r.Mobile, normalized);
        });
    }

    [Fact]
    public void Every_bank_account_is_a_nineteen_digit_card_number_passing_Luhn()
    {
        Assert.All(Rows, r =>
        {
            Assert.Matches(new Regex(@"^62\d{17}$"), r.BankAccount);
            Assert.True(LuhnValid(r.BankAccount), r.BankAccount);
        });
    }

    [Fact]
    public void Every_employer_code_passes_the_GB_32100_check()
    {
        Assert.All(Rows, r => Assert.Equal(CreditCodeCheck.Valid, CreditCode.Check(r.EmployerCode)));
    }

    [Fact]
    public void Employer_codes_are_registered_in_the_city_of_the_spell()
    {
        Assert.All(Rows, r => Assert.StartsWith("91" + r.CityCode[..4], r.EmployerCode));
    }

    [Fact]
    public void An_employer_code_always_carries_the_same_company_name()
    {
        var byCode = Rows.GroupBy(r => r.EmployerCode).ToList();

        Assert.All(byCode, g => Assert.Single(g.Select(r => r.EmployerName).Distinct()));
        Assert.All(byCode, g => Assert.EndsWith("公司", g.First().EmployerName));
        Assert.Equal(byCode.Count, byCode.Select(g => g.First().EmployerName).Distinct().Count());
        Assert.True(byCode.Count(g => g.Select(r => r.IdNumber).Distinct().Count() > 1) > byCode.Count / 4,
            "employers should have several insured staff");
    }

    [Fact]
    public void Spells_are_chronological_and_do_not_overlap()
    {
        Assert.All(Persons, p =>
        {
            var spells = p.ToList();
            for (var i = 0; i < spells.Count; i++)
            {
                var start = YearMonth.Parse(spells[i].StartMonth);
                var end = spells[i].EndMonth == "" ? Now : YearMonth.Parse(spells[i].EndMonth);
                Assert.True(start <= end);
                Assert.True(end <= Now);
                if (i > 0) Assert.True(YearMonth.Parse(spells[i - 1].EndMonth) < start, $"{p.Key}: spell {i} overlaps the one before");
            }
        });
    }

    [Fact]
    public void Only_the_last_spell_may_be_open_and_open_spells_have_no_reason()
    {
        Assert.All(Persons, p =>
        {
            var spells = p.ToList();
            Assert.All(spells.SkipLast(1), s => Assert.NotEqual("", s.EndMonth));
            Assert.All(spells, s => Assert.Equal(s.EndMonth == "", s.SeparationReason == ""));
            Assert.All(spells.Where(s => s.SeparationReason != ""),
                s => Assert.Contains(s.SeparationReason, SeparationReasons.Codes));
        });
    }

    [Fact]
    public void Each_person_has_one_to_four_spells_with_different_employers()
    {
        Assert.All(Persons, p =>
        {
            Assert.InRange(p.Count(), 1, 4);
            Assert.Equal(p.Count(), p.Select(r => r.EmployerCode).Distinct().Count());
        });
        Assert.True(Persons.Count(p => p.Count() > 1) > People / 4, "many people should have had several jobs");
        Assert.Contains(Persons, p => p.Count() == 4);
    }

    [Fact]
    public void Contributions_start_at_eighteen_at_the_earliest()
    {
        Assert.All(Persons, p =>
        {
            var adult = YearMonth.Of(IdentityNumber.BirthDate(p.Key).AddYears(18));
            Assert.True(YearMonth.Parse(p.First().StartMonth) >= adult, p.Key);
        });
    }

    [Fact]
    public void Spells_use_the_cities_given_and_people_move_between_them()
    {
        Assert.All(Rows, r => Assert.Contains(r.CityCode, Cities));
        Assert.Contains(Persons, p => p.Select(r => r.CityCode).Distinct().Count() > 1);
        var insuredAwayFromBirthplace = Persons.Count(p => p.Last().CityCode[..4] != p.Key[..4]);
        Assert.True(insuredAwayFromBirthplace > People / 3, "the insuring city should often differ from the birth region");
    }

    [Fact]
    public void About_half_qualify_for_unemployment_benefit()
    {
        var eligible = Persons.Count(p => Assess(p).Passed);

        Assert.InRange(eligible, People * 3 / 10, People * 7 / 10);
    }

    [Fact]
    public void Eligible_people_lost_their_job_in_the_last_few_months()
    {
        Assert.All(Persons.Where(p => Assess(p).Passed), p =>
        {
            var last = p.Last();
            var end = YearMonth.Parse(last.EndMonth);
            Assert.True(end >= Now.AddMonths(-6) && end < Now, $"{p.Key} ended {end}");
            Assert.True(SeparationReasons.TryParse(last.SeparationReason, out var reason) && reason.IsInvoluntary());
        });
    }

    [Fact]
    public void Eligible_people_reach_every_step_of_the_duration_scale()
    {
        var durations = Persons.Select(Assess).Where(r => r.Passed)
            .Select(r => Hainan.Duration.BenefitMonthsFor(r.ContributionMonths)).ToHashSet();

        Assert.Equal([12, 18, 24], durations.Order());
    }

    [Theory]
    [InlineData("still-contributing")]
    [InlineData("voluntary-separation")]
    [InlineData("insufficient-contributions")]
    [InlineData("on-pension")]
    public void Population_includes_people_ruled_out_for_each_reason(string finding)
    {
        var count = Persons.Count(p => Assess(p).Findings.Any(f => f.Code == finding));

        Assert.InRange(count, People / 40, People / 4);
    }

    [Fact]
    public void Still_contributing_people_have_an_open_last_spell()
    {
        Assert.Contains(Persons, p => p.Last() is { EndMonth: "", SeparationReason: "" });
    }

    [Fact]
    public void Resigners_retirees_and_short_contributors_are_in_the_mix()
    {
        Assert.Contains(Persons, p => p.Last().SeparationReason == "resigned");
        Assert.Contains(Persons, p => p.Last().SeparationReason == "retired");
        Assert.Contains(Persons, p => ToInsuredPerson(p).ContributionMonths(Now) < 12);
    }

    [Fact]
    public void Even_a_small_demo_has_every_kind_of_person()
    {
        var small = DemoPopulation.Generate(24, 99, ["460200"], Now).GroupBy(r => r.IdNumber).ToList();
        var findings = small.SelectMany(p => Eligibility.Assess(
            new ClaimFacts(p.First().Name, ToInsuredPerson(p), Now, null, false, Retirement(p.Key)), Hainan).Findings).Select(f => f.Code).ToHashSet();

        Assert.Equal(24, small.Count);
        Assert.Superset(new HashSet<string> { "still-contributing", "voluntary-separation", "insufficient-contributions", "on-pension" }, findings);
    }

    [Fact]
    public void County_level_city_keeps_its_own_region_code()
    {
        var rows = DemoPopulation.Generate(30, 5, ["469001"], Now).Where(r => !r.IdNumber.StartsWith("830000", StringComparison.Ordinal)).ToList();

        Assert.All(rows, r =>
        {
            Assert.StartsWith("469001", r.IdNumber);
            Assert.StartsWith("91469001", r.EmployerCode);
            Assert.Null(IdentityNumber.Validate(r.IdNumber, Now.FirstDay, out _));
        });
    }

    [Theory]
    [InlineData("")]
    [InlineData("4601")]
    [InlineData("46010A")]
    public void City_code_must_have_six_digits(string city)
    {
        Assert.Throws<ArgumentException>(() => DemoPopulation.Generate(10, 1, [city], Now));
    }

    [Fact]
    public void Arguments_are_checked_before_any_row_is_read()
    {
        Assert.Throws<ArgumentException>(() => DemoPopulation.Generate(10, 1, [], Now));
        Assert.Throws<ArgumentOutOfRangeException>(() => DemoPopulation.Generate(-1, 1, Cities, Now));
    }

    private static bool LuhnValid(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[^(i + 1)] - '0';
            if (i % 2 == 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            sum += d;
        }
        return sum % 10 == 0;
    }
}
