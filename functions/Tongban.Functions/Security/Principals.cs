using System.Security.Claims;
using Tongban.Domain.Claims;

namespace Tongban.Security;

public static class Principals
{
    public const string PortalScheme = "Portal";
    public const string StaffScheme = "Staff";
    public const string PortalIdClaim = "portal";
    public const string OfficeClaim = "office";
    public const string CityClaim = "city";

    public const string PortalPolicy = "portal";
    public const string StaffPolicy = "staff";
    public const string AdministratorPolicy = "administrator";
    public const string PortalOrStaffPolicy = "portal-or-staff";
    public const string LoginRateLimit = "login";

    public static string RoleCode(this StaffRole role) => role.ToString().ToLowerInvariant();

    public static StaffRole ParseRole(string code) => Enum.Parse<StaffRole>(code, ignoreCase: true);

    public static StaffMember? Staff(this ClaimsPrincipal user) =>
        user.Identity?.AuthenticationType == StaffScheme
            ? new StaffMember(user.Identity.Name!, ParseRole(user.FindFirstValue(ClaimTypes.Role)!),
                user.FindFirstValue(OfficeClaim), user.FindFirstValue(CityClaim))
            : null;

    public static string? PortalId(this ClaimsPrincipal user) => user.FindFirstValue(PortalIdClaim);
}
