using Npgsql;

namespace Tongban.Tests.Infrastructure;

public enum Store { Sqlite, Postgres }

/// <summary>
/// A fresh database per test app: a SQLite file in a temp folder, or a new database on the PostgreSQL
/// server named by TONGBAN_TEST_POSTGRES. Without that server the PostgreSQL tests skip — except under
/// CI (CI=true), where they must run and a missing server fails them.
/// </summary>
public sealed class TestStore : IAsyncDisposable
{
    public const string PostgresVariable = "TONGBAN_TEST_POSTGRES";
    private readonly string? _adminConnection;
    private readonly string? _database;

    private TestStore(Store kind, string connectionString, string folder, string? adminConnection, string? database)
    {
        Kind = kind;
        ConnectionString = connectionString;
        Folder = folder;
        _adminConnection = adminConnection;
        _database = database;
    }

    public Store Kind { get; }
    public string ConnectionString { get; }
    public string Folder { get; }
    public string Provider => Kind == Store.Postgres ? "postgres" : "sqlite";

    /// <summary>The store as the app opens it, for tests that read or write rows directly; the caller disposes it.</summary>
    public Tongban.Storage.Database Open() =>
        new(Kind == Store.Postgres ? Tongban.Storage.DatabaseProvider.Postgres : Tongban.Storage.DatabaseProvider.Sqlite, ConnectionString);

    public static async Task<TestStore> CreateAsync(Store kind)
    {
        var folder = Directory.CreateTempSubdirectory("tongban-test-").FullName;
        if (kind == Store.Sqlite)
            return new TestStore(kind, $"Data Source={Path.Combine(folder, "tongban.db")}", folder, null, null);

        var admin = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrEmpty(admin))
        {
            if (Environment.GetEnvironmentVariable("CI") == "true")
                throw new InvalidOperationException($"CI must run the PostgreSQL tests: set {PostgresVariable}.");
            Assert.Skip($"PostgreSQL tests need {PostgresVariable} (a connection string to a server where databases may be created).");
        }
        var database = "tongban_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
            await create.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = database, MaxPoolSize = 40 };
        return new TestStore(kind, builder.ToString(), folder, admin, database);
    }

    public async ValueTask DisposeAsync()
    {
        if (_adminConnection is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_adminConnection);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
