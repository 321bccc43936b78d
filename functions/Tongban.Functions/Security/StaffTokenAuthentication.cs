using System.Security.Claims;
using System.Text.Encodings.Web;
using Dapper;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Tongban.Storage;

namespace Tongban.Security;

/// <summary>Staff send <c>Authorization: Bearer</c> tokens issued by <c>POST /api/v1/auth/token</c>, stored hashed with an expiry.</summary>
public sealed class StaffTokenAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    Database database, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var hash = Secrets.Hash(header["Bearer ".Length..].Trim());
        await using var connection = await database.OpenAsync(Context.RequestAborted);
        var staff = await connection.QuerySingleOrDefaultAsync<StaffRow>(
            """
            SELECT s.username, s.role, s.office_code, s.city_code
            FROM staff_tokens t JOIN staff s ON s.username = t.username
            WHERE t.token_hash = @hash AND t.expires_at > @now
            """, new { hash, now = clock.GetUtcNow().ToUnixTimeMilliseconds() });
        if (staff is null) return AuthenticateResult.Fail("Unknown or expired token.");
        var claims = new List<Claim> { new(ClaimTypes.Name, staff.Username), new(ClaimTypes.Role, staff.Role) };
        if (staff.OfficeCode is not null) claims.Add(new Claim(Principals.OfficeClaim, staff.OfficeCode));
        if (staff.CityCode is not null) claims.Add(new Claim(Principals.CityClaim, staff.CityCode));
        return AuthenticateResult.Success(new AuthenticationTicket(
            new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name)), Scheme.Name));
    }

    private sealed class StaffRow
    {
        public string Username { get; init; } = "";
        public string Role { get; init; } = "";
        public string? OfficeCode { get; init; }
        public string? CityCode { get; init; }
    }
}
