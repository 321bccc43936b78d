using Dapper;
using Tongban.Domain;
using Tongban.Domain.Claims;
using Tongban.Domain.Province;
using Tongban.Domain.Registry;
using Tongban.Registry;
using Tongban.Security;
using Tongban.Storage;

namespace Tongban.Hosting;

/// <summary>
/// Seeds an empty database with the demo province's portal key, staff accounts (admin, {city}-sup,
/// {office}-r1/-r2), a generated population (Demo:People, deterministic from Demo:RandomSeed) and last month's
/// applications from it (Demo:Applications; <see cref="DemoCaseload"/>).
/// </summary>
public sealed class DemoSeed(Database database, ProvinceConfig province, RegistryImport import, IConfiguration configuration,
    TimeProvider clock, ILogger<DemoSeed> log)
{
    // Names "demo seed" for PostgreSQL's advisory locks; a session lock, as seeding spans many transactions.
    private const long SeedLockKey = 0x44454D4F53454544;

    /// <summary>
    /// Seeds unless the database holds applications already. On PostgreSQL instances starting together on one empty database
    /// take turns (a session advisory lock, released when the connection closes should the instance die): the second
    /// finds the first one's demo and leaves it; side by side, their registry imports of the same people would collide.
    /// </summary>
    /// <param name="servicesAt">The app's services, not started, on another clock: the caseload replays last month on them.</param>
    public async Task SeedIfEmptyAsync(Func<TimeProvider, WebApplication> servicesAt, CancellationToken ct)
    {
        if (database.Provider != DatabaseProvider.Postgres)
        {
            await SeedAsync(servicesAt, ct);
            return;
        }
        await using var turn = await database.OpenAsync(ct);
        await turn.ExecuteAsync("SELECT pg_advisory_lock(@key)", new { key = SeedLockKey });
        try
        {
            await SeedAsync(servicesAt, ct);
        }
        finally
        {
            // Pooled connections keep session locks (No Reset On Close): give it back explicitly.
            await turn.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key = SeedLockKey });
        }
    }

    private async Task SeedAsync(Func<TimeProvider, WebApplication> servicesAt, CancellationToken ct)
    {
        var password = configuration["Demo:Password"];
        var portalKey = configuration["Demo:PortalKey"];
        if (string.IsNullOrEmpty(password) || string.IsNullOrEmpty(portalKey))
            throw new InvalidOperationException("Demo:Enabled needs Demo:Password and Demo:PortalKey.");
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        try
        {
            await SeedAccountsAsync(password, portalKey, now, ct);
        }
        catch (Exception e) when (Database.IsUniqueViolation(e))
        {
            // A second instance started on the same empty database seeded the accounts first.
        }

        // Until there are applications the rest is (re)done: a start interrupted after the accounts finishes here,
        // and the import changes nothing it already holds.
        await using (var connection = await database.OpenAsync(ct))
            if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM (SELECT 1 FROM applications LIMIT 1) x") > 0) return;

        var people = configuration.GetValue("Demo:People", 2000);
        var randomSeed = configuration.GetValue("Demo:RandomSeed", 20261122);
        var month = YearMonth.Of(Deadlines.LocalDate(clock.GetUtcNow()));
        var rows = DemoPopulation.Generate(people, randomSeed, province.Cities.Select(c => c.Code).ToList(), month).ToList();
        var result = await import.ImportAsync(rows.Select((row, i) => (i + 2, row)).ToAsyncEnumerable(), ct);

        var applications = Math.Min(configuration.GetValue("Demo:Applications", 120), people);
        if (applications > 0)
        {
            var pastClock = new DemoClock(clock.GetUtcNow());
            await using var past = servicesAt(pastClock);
            try
            {
                await DemoCaseload.FileAsync(past.Services, pastClock, rows, applications, month, ct);
            }
            catch (Exception e) when (Database.IsUniqueViolation(e))
            {
                // A second instance started on the same empty database files the same applications in the same order
                // under the same idempotency keys, so whichever comes second fails at its first one, having filed
                // nothing: the first files them all.
                log.LogInformation("另一实例正在生成演示申请，本实例不再重复生成");
                return;
            }
        }
        log.LogInformation("演示数据已生成：门户 1 个，工作人员账号若干，参保人 {People} 人（缴费记录 {Spells} 条），上月申请 {Applications} 件",
            people, result.Imported, applications);
    }

    private Task SeedAccountsAsync(string password, string portalKey, long now, CancellationToken ct) =>
        database.InTransactionAsync(async (c, t) =>
        {
            if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM staff", transaction: t) > 0) return;
            await c.ExecuteAsync("INSERT INTO portals (id, name, key_hash, created_at) VALUES ('demo-portal', '演示门户', @hash, @now)",
                new { hash = Secrets.Hash(portalKey), now }, t);
            // One hash for every demo account: the demo password is shared anyway, and hashing is deliberately slow.
            var hash = AuthEndpoints.HashPassword("demo", password);
            var accounts = new List<(string Username, StaffRole Role, string? Office, string? City)> { ("admin", StaffRole.Administrator, null, null) };
            foreach (var city in province.Cities)
            {
                accounts.Add(($"{city.Code}-sup", StaffRole.Supervisor, null, city.Code));
                foreach (var office in city.Offices)
                {
                    accounts.Add(($"{office.Code}-r1", StaffRole.Reviewer, office.Code, city.Code));
                    accounts.Add(($"{office.Code}-r2", StaffRole.Reviewer, office.Code, city.Code));
                }
            }
            await c.ExecuteAsync(
                "INSERT INTO staff (username, password_hash, role, office_code, city_code, created_at) VALUES (@Username, @hash, @role, @Office, @City, @now)",
                accounts.Select(a => new { a.Username, hash, role = a.Role.RoleCode(), a.Office, a.City, now }), t);
        }, ct);
}
