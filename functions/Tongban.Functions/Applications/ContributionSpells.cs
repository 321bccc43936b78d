using Dapper;
using Tongban.Hosting;
using Tongban.Security;
using Tongban.Storage;

namespace Tongban.Applications;

/// <summary>One contribution spell (缴费记录) of the applicant, as the registry holds it; <c>endMonth</c> null while still contributing.</summary>
public sealed record SpellView(string CityCode, string EmployerCode, string EmployerName, string StartMonth, string? EndMonth, string? SeparationReason);

/// <summary>The applicant's contribution spells, which the reviewer weighs against the verification's findings.</summary>
public static class ContributionSpells
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/applications/{id}/spells", ListAsync).RequireAuthorization(Principals.StaffPolicy).WithName("ApplicationSpells")
            .WithSummary("The applicant's contribution spells from the registry, oldest first")
            .Produces<SpellView[]>().ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<IResult> ListAsync(string id, HttpContext http, Database database)
    {
        await using var connection = await database.OpenAsync(http.RequestAborted);
        var person = await connection.QuerySingleOrDefaultAsync<string>("SELECT person_key FROM applications WHERE id = @id", new { id });
        if (person is null) return Problems.NotFound($"Application {id}");
        var spells = await connection.QueryAsync<SpellRow>(
            """
            SELECT city_code, employer_code, employer_name, start_month, end_month, separation_reason
            FROM contribution_spells WHERE person_key = @person ORDER BY start_month, employer_code
            """, new { person });
        return TypedResults.Ok(spells.Select(s =>
            new SpellView(s.CityCode, s.EmployerCode, s.EmployerName, s.StartMonth, s.EndMonth, s.SeparationReason)));
    }

    private sealed class SpellRow
    {
        public string CityCode { get; init; } = "";
        public string EmployerCode { get; init; } = "";
        public string EmployerName { get; init; } = "";
        public string StartMonth { get; init; } = "";
        public string? EndMonth { get; init; }
        public string? SeparationReason { get; init; }
    }
}
