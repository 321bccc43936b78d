using System.Globalization;
using System.Text.Json;
using Tongban.Domain.Calendar;
using Tongban.Domain.Entitlements;
using Tongban.Domain.Payouts;
using Tongban.Domain.Province;

namespace Tongban.Province;

/// <summary>
/// Reads a province's configuration (Province/Data/{name}.json) and the State Council holiday
/// calendar (Province/Data/calendar/{year}.json). Bad configuration fails start-up with the reason.
/// </summary>
public static class ProvinceLoader
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip };

    public static string DataFolder => Path.Combine(AppContext.BaseDirectory, "Province", "Data");

    /// <summary><paramref name="nameOrPath"/>: a shipped province ("hainan", "hebei") or a path to a JSON file.</summary>
    public static ProvinceConfig Load(string nameOrPath)
    {
        var path = File.Exists(nameOrPath) ? nameOrPath : Path.Combine(DataFolder, nameOrPath + ".json");
        if (!File.Exists(path)) throw new InvalidOperationException($"Province configuration '{nameOrPath}' not found.");
        var file = JsonSerializer.Deserialize<ProvinceFile>(File.ReadAllText(path), Json)
                   ?? throw new InvalidOperationException($"{path} is empty.");
        var cities = file.Cities.Select(c => new City(c.Code, c.Name,
            c.Offices.Select(o => new Office(o.Code, o.Name, o.Reviewers)).ToList(),
            c.Standards.Select(s => new BenefitStandard(DateOnly.Parse(s.EffectiveFrom, CultureInfo.InvariantCulture), (long)Math.Round(s.Monthly * 100m))).ToList()))
            .ToList();
        var province = new ProvinceConfig(file.Code, file.Name, cities,
            new DurationScale(file.Duration.Steps.Select(s => new DurationStep(s.MinContributionMonths, s.BenefitMonths)).ToList(), file.Duration.CapMonths),
            new ReviewDeadlines(file.Deadlines.FirstReviewWorkingDays, file.Deadlines.DecisionWorkingDays),
            LoadCalendar())
        {
            Payouts = Payouts(file.Payouts, path),
            Eligibility = Eligibility(file.Eligibility, path),
        };
        Check(province, path);
        return province;
    }

    /// <summary>The province's payout rules; every one of them must be stated, none is assumed.</summary>
    private static PayoutRules Payouts(PayoutsFile? file, string path)
    {
        if (file is null) throw new InvalidOperationException($"{path}: no payouts section (partialMonth, medicalContribution, funeralGrant, survivorsPensionMonths, maxDeductionPercent).");
        var problems = new List<string>();
        if (!PartialMonthRules.TryParse(file.PartialMonth, out var rule))
            problems.Add($"payouts.partialMonth '{file.PartialMonth}' is not stop-month-paid or stop-month-not-paid");
        if (file.MedicalContribution is not { Count: > 0 }) problems.Add("payouts.medicalContribution has no amount");
        if (file.FuneralGrant is not { } funeral || funeral < 0) problems.Add("payouts.funeralGrant is missing or negative");
        if (file.SurvivorsPensionMonths is null || file.SurvivorsPensionMonths.Any(m => m < 0)) problems.Add("payouts.survivorsPensionMonths is missing or negative");
        if (file.MaxDeductionPercent is not (>= 0 and <= 100)) problems.Add("payouts.maxDeductionPercent is not 0 to 100");
        if (problems.Count > 0) throw new InvalidOperationException($"{path}: {string.Join("; ", problems)}");
        return new PayoutRules(rule,
            file.MedicalContribution!.Select(a => new DatedAmount(DateOnly.Parse(a.EffectiveFrom, CultureInfo.InvariantCulture), Fen(a.Monthly))).ToList(),
            Fen(file.FuneralGrant!.Value), file.SurvivorsPensionMonths!, file.MaxDeductionPercent!.Value);
    }

    /// <summary>Who qualifies where provinces decide; stated in the file, not assumed.</summary>
    private static EligibilityRules Eligibility(EligibilityFile? file, string path)
    {
        var problems = new List<string>();
        if (file?.MutualAgreementQualifies is null) problems.Add("eligibility.mutualAgreementQualifies is missing (true or false)");
        var post = file?.WomenRetirementPost switch
        {
            "worker" => WomanPost.Worker,
            "cadre" => WomanPost.Cadre,
            _ => (WomanPost?)null,
        };
        if (post is null) problems.Add($"eligibility.womenRetirementPost '{file?.WomenRetirementPost}' is not worker or cadre");
        if (problems.Count > 0) throw new InvalidOperationException($"{path}: {string.Join("; ", problems)}");
        return new EligibilityRules(file!.MutualAgreementQualifies!.Value, post!.Value);
    }

    private static long Fen(decimal yuan) => (long)Math.Round(yuan * 100m);

    public static WorkingDayCalendar LoadCalendar()
    {
        var years = Directory.GetFiles(Path.Combine(DataFolder, "calendar"), "*.json").Select(path =>
        {
            var file = JsonSerializer.Deserialize<CalendarFile>(File.ReadAllText(path), Json)!;
            return new HolidayYear(file.Year, Expand(file.DaysOff).ToHashSet(), Expand(file.WeekendWorkingDays).ToHashSet());
        });
        return new WorkingDayCalendar(years);
    }

    private static IEnumerable<DateOnly> Expand(IEnumerable<string> entries)
    {
        foreach (var entry in entries)
        {
            var parts = entry.Split("..");
            var first = DateOnly.Parse(parts[0], CultureInfo.InvariantCulture);
            var last = parts.Length > 1 ? DateOnly.Parse(parts[1], CultureInfo.InvariantCulture) : first;
            for (var day = first; day <= last; day = day.AddDays(1)) yield return day;
        }
    }

    private static void Check(ProvinceConfig province, string path)
    {
        var problems = new List<string>();
        if (province.Cities.Count == 0) problems.Add("no cities");
        foreach (var city in province.Cities)
        {
            if (city.Offices.Count == 0) problems.Add($"city {city.Code} has no office");
            if (city.Standards.Count == 0) problems.Add($"city {city.Code} has no benefit standard");
            problems.AddRange(city.Offices.Where(o => !o.Code.StartsWith(city.Code + "-", StringComparison.Ordinal))
                .Select(o => $"office {o.Code} is not named {{cityCode}}-NN"));
            problems.AddRange(city.Offices.Where(o => o.Reviewers < 1).Select(o => $"office {o.Code} has no reviewers"));
        }
        if (province.Duration.Steps.Count == 0) problems.Add("no duration steps");
        if (problems.Count > 0) throw new InvalidOperationException($"{path}: {string.Join("; ", problems)}");
    }

    private sealed record ProvinceFile(string Code, string Name, DurationFile Duration, DeadlinesFile Deadlines, List<CityFile> Cities,
        PayoutsFile? Payouts, EligibilityFile? Eligibility);
    private sealed record EligibilityFile(bool? MutualAgreementQualifies, string? WomenRetirementPost);
    private sealed record PayoutsFile(string? PartialMonth, List<StandardFile>? MedicalContribution, decimal? FuneralGrant,
        List<int>? SurvivorsPensionMonths, int? MaxDeductionPercent);
    private sealed record DurationFile(int CapMonths, List<StepFile> Steps);
    private sealed record StepFile(int MinContributionMonths, int BenefitMonths);
    private sealed record DeadlinesFile(int FirstReviewWorkingDays, int DecisionWorkingDays);
    private sealed record CityFile(string Code, string Name, List<StandardFile> Standards, List<OfficeFile> Offices);
    private sealed record StandardFile(string EffectiveFrom, decimal Monthly);
    private sealed record OfficeFile(string Code, string Name, int Reviewers);
    private sealed record CalendarFile(int Year, List<string> DaysOff, List<string> WeekendWorkingDays);
}
