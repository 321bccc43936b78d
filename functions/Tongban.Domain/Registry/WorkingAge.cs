namespace Tongban.Domain.Registry;

/// <summary>
/// No one may be employed under 16 (劳动法 art. 15, 禁止使用童工), so no contribution spell begins before the person's
/// 16th birthday — nor, a fortiori, before their birth. The month of the birthday itself is allowed: a job may begin
/// that day and the month's contribution is then due. The birth date is the identity number's (GB 11643).
/// </summary>
public static class WorkingAge
{
    public const int Minimum = 16;

    /// <summary>Null when a spell may begin in <paramref name="start"/>, otherwise the reason in English.</summary>
    public static string? SpellStartError(DateOnly birth, YearMonth start)
    {
        if (start < YearMonth.Of(birth)) return $"before the person's birth ({birth:yyyy-MM-dd}, from idNumber)";
        var sixteenth = birth.AddYears(Minimum);
        if (start < YearMonth.Of(sixteenth))
            return $"before the person turned {Minimum} on {sixteenth:yyyy-MM-dd} (birth date from idNumber; 劳动法 art. 15 forbids employing anyone younger)";
        return null;
    }
}
