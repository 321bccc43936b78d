using Tongban.Domain.Province;

namespace Tongban.Domain.Routing;

/// <summary>
/// Spreads review work across a city's offices in proportion to their reviewers (Gaoming's
/// 按人员配置分配): the office with the fewest open cases per reviewer gets the next one. The reviewers counted are those
/// on duty that day where the city's supervisor has set them, otherwise the office's staffing in the province file.
/// </summary>
public static class OfficeAllocation
{
    /// <summary>
    /// The office that takes the next case. <paramref name="openCases"/>: cases each office holds in review now;
    /// <paramref name="onDuty"/>: reviewers on duty today by office code, for the offices the supervisor has set (0: the
    /// office takes no new cases that day). When no office of the city has anyone on duty, the province file's staffing
    /// decides, so a city never stops taking cases.
    /// </summary>
    public static Office Choose(IReadOnlyList<Office> offices, IReadOnlyDictionary<string, int> openCases,
        IReadOnlyDictionary<string, int>? onDuty = null)
    {
        if (offices.Count == 0) throw new ArgumentException("A city without offices cannot take cases.", nameof(offices));
        var staffed = offices.Select(o => (Office: o, Reviewers: ReviewersOn(o, onDuty))).Where(o => o.Reviewers > 0).ToList();
        if (staffed.Count == 0) staffed = [.. offices.Select(o => (Office: o, o.Reviewers))];
        return staffed
            .OrderBy(o => (openCases.GetValueOrDefault(o.Office.Code) + 1.0) / o.Reviewers)
            .ThenByDescending(o => o.Reviewers)
            .ThenBy(o => o.Office.Code, StringComparer.Ordinal)
            .First().Office;
    }

    /// <summary>Reviewers an office counts with today: the supervisor's figure for the day when set, else the province file's.</summary>
    public static int ReviewersOn(Office office, IReadOnlyDictionary<string, int>? onDuty) =>
        onDuty is not null && onDuty.TryGetValue(office.Code, out var set) ? set : office.Reviewers;
}
