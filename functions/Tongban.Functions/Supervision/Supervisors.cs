using Tongban.Domain.Claims;
using Tongban.Domain.Province;
using Tongban.Hosting;
using Tongban.Security;

namespace Tongban.Supervision;

/// <summary>Who may use the supervision endpoints: the supervisor of a city (<c>{cityCode}-sup</c>), for that city only.</summary>
public static class Supervisors
{
    /// <summary>
    /// The signed-in supervisor and their city, or the 403 every other staff member gets (reviewers, administrators, a
    /// supervisor without a city of this province).
    /// </summary>
    public static (StaffMember Supervisor, City City, IResult? Refusal) Resolve(HttpContext http, ProvinceConfig province)
    {
        var staff = http.User.Staff()!;
        if (staff.Role == StaffRole.Supervisor && staff.CityCode is { } code && province.FindCity(code) is { } city)
            return (staff, city, null);
        return (staff, null!, Problems.Refusal(403, "Forbidden", RefusalCode.NotCitySupervisor, "Only a city supervisor may use this; it covers the supervisor's own city."));
    }
}
