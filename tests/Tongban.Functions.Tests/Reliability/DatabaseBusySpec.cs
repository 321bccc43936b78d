using System.Net;
using Dapper;
using Npgsql;
using Tongban.Tests.Infrastructure;

namespace Tongban.Tests.Reliability;

/// <summary>
/// PostgreSQL with no connection slot free (SQLSTATE 53300, e.g. max_connections reached by several instances): a
/// request is a 503 with Retry-After that stores nothing, and the same request lands once a slot is free.
/// </summary>
public sealed class DatabaseBusySpec
{
    [Fact]
    public async Task No_free_PostgreSQL_connection_is_a_503_with_Retry_After_and_the_retry_lands()
    {
        await using var store = await TestStore.CreateAsync(Store.Postgres);
        var admin = Environment.GetEnvironmentVariable(TestStore.PostgresVariable)!;
        var database = new NpgsqlConnectionStringBuilder(store.ConnectionString).Database!;
        // The app signs in as a role of its own: a superuser is never refused a connection, a role can be.
        var role = "tongban_busy_" + Guid.NewGuid().ToString("N")[..8];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.ExecuteAsync($"CREATE ROLE {role} LOGIN PASSWORD 'busy'; ALTER DATABASE {database} OWNER TO {role}");
        }
        await using (var connection = new NpgsqlConnection(store.ConnectionString))
            await connection.ExecuteAsync($"ALTER SCHEMA public OWNER TO {role}");
        try
        {
            // Without pooling every request opens a connection, so the limit bites at once.
            var asRole = new NpgsqlConnectionStringBuilder(store.ConnectionString) { Username = role, Password = "busy", Pooling = false }.ToString();
            await using var app = await TestApp.StartOnAsync(store, null, $"--ConnectionStrings:Tongban={asRole}");
            Assert.Equal(HttpStatusCode.Accepted, (await app.Portal.SubmitAsync(People.Application(People.IdNumber(1)))).StatusCode);

            await SetConnectionLimitAsync(admin, role, 0);
            var busy = await app.Portal.SubmitAsync(People.Application(People.IdNumber(2)), key: "busy-retry");

            Assert.True(busy.StatusCode == HttpStatusCode.ServiceUnavailable, $"{busy.StatusCode}: {await busy.Content.ReadAsStringAsync()}");
            Assert.Equal("application/problem+json", busy.Content.Headers.ContentType!.MediaType);
            Assert.NotNull(busy.Headers.RetryAfter);
            Assert.Equal(1, await CountApplicationsAsync(store));

            await SetConnectionLimitAsync(admin, role, -1);
            var retried = await app.Portal.SubmitAsync(People.Application(People.IdNumber(2)), key: "busy-retry");
            Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
            Assert.Equal(2, await CountApplicationsAsync(store));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(admin);
            await connection.ExecuteAsync($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
            await connection.ExecuteAsync($"DROP ROLE IF EXISTS {role}");
        }
    }

    private static async Task SetConnectionLimitAsync(string admin, string role, int limit)
    {
        await using var connection = new NpgsqlConnection(admin);
        await connection.ExecuteAsync($"ALTER ROLE {role} CONNECTION LIMIT {limit}");
    }

    private static async Task<long> CountApplicationsAsync(TestStore store)
    {
        await using var connection = new NpgsqlConnection(store.ConnectionString);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM applications");
    }
}
