namespace Tongban.Domain.Registry;

/// <summary>Why a job ended, as the employer recorded it when it stopped the person's insurance (单位停保).</summary>
public enum SeparationReason
{
    ContractExpired,
    EmployerTerminated,
    EmployerClosed,
    MutualAgreement,
    Dismissed,
    ResignedEmployerFault,
    Resigned,
    Retired,
}

public static class SeparationReasons
{
    private static readonly Dictionary<string, SeparationReason> ByCode = new()
    {
        ["contract-expired"] = SeparationReason.ContractExpired,
        ["employer-terminated"] = SeparationReason.EmployerTerminated,
        ["employer-closed"] = SeparationReason.EmployerClosed,
        ["mutual-agreement"] = SeparationReason.MutualAgreement,
        ["dismissed"] = SeparationReason.Dismissed,
        ["resigned-employer-fault"] = SeparationReason.ResignedEmployerFault,
        ["resigned"] = SeparationReason.Resigned,
        ["retired"] = SeparationReason.Retired,
    };

    public static IEnumerable<string> Codes => ByCode.Keys;

    public static bool TryParse(string code, out SeparationReason reason) => ByCode.TryGetValue(code, out reason);

    public static string Code(this SeparationReason reason) => ByCode.First(p => p.Value == reason).Key;

    /// <summary>Involuntary loss of the job (失业保险条例 art. 14, 实施办法): the only kind that qualifies.</summary>
    public static bool IsInvoluntary(this SeparationReason reason) =>
        reason is not (SeparationReason.Resigned or SeparationReason.Retired);
}

/// <summary>One employer's contributions in one city, from <see cref="Start"/> to <see cref="End"/> (null: still contributing).</summary>
public sealed record ContributionSpell(
    string EmployerCode,
    string CityCode,
    YearMonth Start,
    YearMonth? End,
    SeparationReason? Reason);

/// <summary>What the core insurance system knows of a person.</summary>
public sealed record InsuredPerson(string Name, IReadOnlyList<ContributionSpell> Spells)
{
    /// <summary>Distinct months contributed from <paramref name="since"/> on (overlapping spells count once).</summary>
    public int ContributionMonths(YearMonth currentMonth, YearMonth? since = null)
    {
        var months = new HashSet<YearMonth>();
        foreach (var spell in Spells)
        {
            var end = spell.End ?? currentMonth;
            for (var m = spell.Start; m <= end; m = m.AddMonths(1))
                if (since is null || m >= since) months.Add(m);
        }
        return months.Count;
    }

    /// <summary>The latest spell: its city is the insuring city (参保地), its reason says how the last job ended.</summary>
    public ContributionSpell? LatestSpell =>
        Spells.OrderBy(s => s.End ?? new YearMonth(9999, 12)).ThenBy(s => s.Start).LastOrDefault();
}
