using System.Data.Common;
using Dapper;
using Tongban.Domain.Province;
using Tongban.Domain.Routing;

namespace Tongban.Routing;

/// <summary>
/// Picks the office of a city that takes the next case, from the open cases each office holds now
/// (office codes are {cityCode}-NN, which the province loader checks).
/// </summary>
public static class OfficeRouter
{
    public static async Task<Office> ChooseAsync(DbConnection connection, DbTransaction transaction, City city)
    {
        var counts = await connection.QueryAsync<OfficeLoad>(
            """
            SELECT assigned_office AS office, COUNT(*) AS open_cases FROM applications
            WHERE status IN ('first-review', 'final-review') AND assigned_office LIKE @cityOffices
            GROUP BY assigned_office
            """, new { cityOffices = city.Code + "-%" }, transaction);
        return OfficeAllocation.Choose(city.Offices, counts.ToDictionary(c => c.Office, c => (int)c.OpenCases));
    }

    private sealed class OfficeLoad
    {
        public string Office { get; init; } = "";
        public long OpenCases { get; init; }
    }
}
