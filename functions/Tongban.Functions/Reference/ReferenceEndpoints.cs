using Tongban.Domain.Claims;
using Tongban.Domain.Province;

namespace Tongban.Reference;

public sealed record OfficeView(string Code, string Name, int Reviewers);

public sealed record CityView(string Code, string Name, decimal? BenefitStandard, IReadOnlyList<OfficeView> Offices);

public static class ReferenceEndpoints
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/reference/cities", (ProvinceConfig province, TimeProvider clock) =>
        {
            var today = Deadlines.LocalDate(clock.GetUtcNow());
            return TypedResults.Ok(province.Cities.Select(c => new CityView(c.Code, c.Name,
                c.StandardOn(today) / 100m,
                c.Offices.Select(o => new OfficeView(o.Code, o.Name, o.Reviewers)).ToList())));
        }).AllowAnonymous().WithName("ListCities").WithSummary("Cities, their offices and the monthly benefit standard in force today");
}
