using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Dapper;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Tongban.Storage;

namespace Tongban.Security;

/// <summary>Portals authenticate with <c>X-Api-Key</c>; keys are stored hashed, and a hit is cached briefly.</summary>
public sealed class PortalKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    Database database, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private static readonly ConcurrentDictionary<string, (string Id, string Name, DateTimeOffset Until)> Cache = new();

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue("X-Api-Key", out var values) || string.IsNullOrEmpty(values.ToString()))
            return AuthenticateResult.NoResult();
        var hash = Secrets.Hash(values.ToString());
        var now = clock.GetUtcNow();
        if (!Cache.TryGetValue(hash, out var portal) || portal.Until < now)
        {
            await using var connection = await database.OpenAsync(Context.RequestAborted);
            var row = await connection.QuerySingleOrDefaultAsync<PortalRow>(
                "SELECT id, name FROM portals WHERE key_hash = @hash", new { hash });
            if (row is null) return AuthenticateResult.Fail("Unknown API key.");
            portal = (row.Id, row.Name, now.AddMinutes(1));
            Cache[hash] = portal;
        }
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, portal.Name), new Claim(Principals.PortalIdClaim, portal.Id)], Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    private sealed class PortalRow
    {
        public string Id { get; init; } = "";
        public string Name { get; init; } = "";
    }
}
