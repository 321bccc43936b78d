using System.Data.Common;
using System.Globalization;
using Dapper;
using Tongban.Domain.Province;
using Tongban.Domain.Routing;

namespace Tongban.Routing;

/// <summary>
/// Picks the office of a city that takes the next case, from the open cases each office holds now and the reviewers
/// on duty that day as the city's supervisor set them (<see cref="OfficeAllocation"/>; office codes are
/// {cityCode}-NN, which the province loader checks).
/// </summary>
public static class OfficeRouter
{
    /// <summary>The office for the next case of <paramref name="city"/> on <paramref name="day"/> (China's date), in the caller's transaction.</summary>
    public static async Task<Office> ChooseAsync(DbConnection connection, DbTransaction transaction, City city, DateOnly day) =>
        (await LoadAsync(connection, transaction, city, day)).Next();

    /// <summary>
    /// The city's offices as they stand on <paramref name="day"/>: the open cases each holds and its reviewers on duty,
    /// read once in the caller's transaction, for a batch of cases (<see cref="CityRouting.Next"/>).
    /// </summary>
    public static async Task<CityRouting> LoadAsync(DbConnection connection, DbTransaction transaction, City city, DateOnly day)
    {
        var cityOffices = city.Code + "-%";
        var counts = await connection.QueryAsync<OfficeLoad>(
            """
            SELECT assigned_office AS office, COUNT(*) AS open_cases FROM applications
            WHERE status IN ('first-review', 'final-review') AND assigned_office LIKE @cityOffices
            GROUP BY assigned_office
            """, new { cityOffices }, transaction);
        var onDuty = await connection.QueryAsync<OfficeStaffing>(
            "SELECT office_code, reviewers FROM office_staffing WHERE day = @day AND office_code LIKE @cityOffices",
            new { day = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), cityOffices }, transaction);
        return new CityRouting(city, counts.ToDictionary(c => c.Office, c => (int)c.OpenCases),
            onDuty.ToDictionary(s => s.OfficeCode, s => (int)s.Reviewers));
    }

    /// <summary>A city's offices with their open cases and reviewers on duty (<see cref="LoadAsync"/>).</summary>
    public sealed class CityRouting(City city, Dictionary<string, int> openCases, Dictionary<string, int> onDuty)
    {
        /// <summary>The office for the next case (<see cref="OfficeAllocation.Choose"/>), counted as one more open case there.</summary>
        public Office Next()
        {
            var office = OfficeAllocation.Choose(city.Offices, openCases, onDuty);
            openCases[office.Code] = openCases.GetValueOrDefault(office.Code) + 1;
            return office;
        }
    }

    private sealed class OfficeLoad
    {
        public string Office { get; init; } = "";
        public long OpenCases { get; init; }
    }

    private sealed class OfficeStaffing
    {
        public string OfficeCode { get; init; } = "";
        public long Reviewers { get; init; }
    }
}
