using Dapper;
using Microsoft.AspNetCore.Identity;
using Tongban.Hosting;
using Tongban.Storage;

namespace Tongban.Security;

public sealed record TokenRequest(string? Username, string? Password);

public sealed record TokenResponse(string AccessToken, int ExpiresIn);

/// <summary>The signed-in staff member: role (<c>reviewer</c>, <c>supervisor</c>, <c>administrator</c>), office and city (null where the role has none).</summary>
public sealed record CurrentStaffView(string Username, string Role, string? Office, string? City);

/// <summary>Issues staff bearer tokens (standalone; in Azure, Entra ID takes this role).</summary>
public static class AuthEndpoints
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);
    private static readonly PasswordHasher<string> Hasher = new();

    public static string HashPassword(string username, string password) => Hasher.HashPassword(username, password);

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/auth/token", IssueAsync).WithName("IssueToken").AllowAnonymous().RequireRateLimiting(Principals.LoginRateLimit)
            .Produces<TokenResponse>().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("Exchange a staff username and password for a bearer token");
        // The console decides what to offer from this; the API still checks every call.
        api.MapGet("/auth/me", (HttpContext http) =>
            {
                var staff = http.User.Staff()!;
                return TypedResults.Ok(new CurrentStaffView(staff.Username, staff.Role.RoleCode(), staff.OfficeCode, staff.CityCode));
            })
            .RequireAuthorization(Principals.StaffPolicy).WithName("CurrentStaff")
            .WithSummary("The staff member the bearer token belongs to: role, office and city");
    }

    private static async Task<IResult> IssueAsync(HttpContext http, Database database, TimeProvider clock, LoginThrottle throttle)
    {
        var (request, problem) = await JsonBody.ReadAsync<TokenRequest>(http.Request);
        if (problem is not null) return problem;
        if (string.IsNullOrEmpty(request!.Username) || string.IsNullOrEmpty(request.Password))
            return Problems.Invalid("username", "Username and password are required.");
        if (throttle.Wait(request.Username) is { } wait)
        {
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Problems.Of(429, "Too many requests",
                $"Too many wrong passwords for this account: try again in {(int)Math.Ceiling(wait.TotalMinutes)} minutes.");
        }
        var now = clock.GetUtcNow();
        var token = Secrets.NewToken();
        var issued = await database.InTransactionAsync(async (c, t) =>
        {
            var hash = await c.QuerySingleOrDefaultAsync<string>(
                "SELECT password_hash FROM staff WHERE username = @username", new { username = request.Username }, t);
            if (hash is null || Hasher.VerifyHashedPassword(request.Username, hash, request.Password) == PasswordVerificationResult.Failed)
                return false;
            await c.ExecuteAsync("DELETE FROM staff_tokens WHERE expires_at < @now", new { now = now.ToUnixTimeMilliseconds() }, t);
            await c.ExecuteAsync("INSERT INTO staff_tokens (token_hash, username, expires_at) VALUES (@hash, @username, @expires)",
                new { hash = Secrets.Hash(token), username = request.Username, expires = now.Add(Lifetime).ToUnixTimeMilliseconds() }, t);
            return true;
        }, http.RequestAborted);
        if (!issued)
        {
            throttle.Failed(request.Username);
            return Problems.Of(401, "Unauthorized", "Unknown username or wrong password.");
        }
        throttle.Succeeded(request.Username);
        return TypedResults.Ok(new TokenResponse(token, (int)Lifetime.TotalSeconds));
    }
}
