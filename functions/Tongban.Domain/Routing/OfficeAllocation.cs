using Tongban.Domain.Province;

namespace Tongban.Domain.Routing;

/// <summary>
/// Spreads review work across a city's offices in proportion to their reviewers (Gaoming's
/// 按人员配置分配): the office with the fewest open cases per reviewer gets the next one.
/// </summary>
public static class OfficeAllocation
{
    public static Office Choose(IReadOnlyList<Office> offices, IReadOnlyDictionary<string, int> openCases)
    {
        if (offices.Count == 0) throw new ArgumentException("A city without offices cannot take cases.", nameof(offices));
        return offices
            .OrderBy(o => (openCases.GetValueOrDefault(o.Code) + 1.0) / o.Reviewers)
            .ThenByDescending(o => o.Reviewers)
            .ThenBy(o => o.Code, StringComparer.Ordinal)
            .First();
    }
}
