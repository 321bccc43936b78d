using Tongban.Domain.Identifiers;

namespace Tongban.Domain.Entitlements;

/// <summary>
/// A woman's post, which set her statutory retirement age before the 2025 reform: 50 in a worker post (女职工), 55 in a
/// cadre post (女干部). The registry export (contract: Registry import) does not carry it: the province's default applies.
/// </summary>
public enum WomanPost { Worker, Cadre }

/// <summary>The age at which a person reaches statutory retirement, in years and months, and the day it is reached.</summary>
public sealed record StatutoryRetirement(int Years, int Months, DateOnly Date)
{
    /// <summary>The month the age is reached: benefit is paid up to and including it; the pension follows from the next.</summary>
    public YearMonth Month => YearMonth.Of(Date);
}

/// <summary>
/// Statutory retirement age under the gradual raise (全国人大常委会关于实施渐进式延迟法定退休年龄的决定, 2024-09-13, and
/// its 国务院关于渐进式延迟职工法定退休年龄的办法, in force 2025-01-01), by birth month and sex:
/// <list type="bullet">
/// <item>men, 60 before: one month later per four months of birth from January 1965, until 63 (born September 1976 on);</item>
/// <item>women in cadre posts, 55 before: one month later per four months of birth from January 1970, until 58 (born
/// September 1981 on);</item>
/// <item>women in worker posts, 50 before: one month later per two months of birth from January 1975, until 55 (born
/// November 1984 on).</item>
/// </list>
/// Born before the first month of a group, the old age stands. Checked against the 办法's 对照表: a man born 1965-01
/// retires at 60 years 1 month, in February 2025.
/// </summary>
public static class RetirementAge
{
    private sealed record Group(int OldAgeYears, YearMonth FirstDelayed, int BirthMonthsPerStep, int MaxDelayMonths);

    private static readonly Group Men = new(60, new YearMonth(1965, 1), 4, 36);
    private static readonly Group WomenCadre = new(55, new YearMonth(1970, 1), 4, 36);
    private static readonly Group WomenWorker = new(50, new YearMonth(1975, 1), 2, 60);

    public static StatutoryRetirement For(DateOnly birthDate, Sex sex, WomanPost womanPost)
    {
        var group = sex == Sex.Male ? Men : womanPost == WomanPost.Cadre ? WomenCadre : WomenWorker;
        var birthMonth = YearMonth.Of(birthDate);
        var delay = birthMonth < group.FirstDelayed
            ? 0
            : Math.Min(group.MaxDelayMonths, (birthMonth.MonthsSinceInclusive(group.FirstDelayed) - 1) / group.BirthMonthsPerStep + 1);
        var ageMonths = group.OldAgeYears * 12 + delay;
        // The birthday in the month the age is reached; born on the 31st, the month's last day.
        return new StatutoryRetirement(ageMonths / 12, ageMonths % 12, birthDate.AddMonths(ageMonths));
    }
}
