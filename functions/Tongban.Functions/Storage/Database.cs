using System.Data.Common;
using Azure.Core;
using Azure.Identity;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Tongban.Storage;

public enum DatabaseProvider { Sqlite, Postgres }

/// <summary>
/// The system of record: SQLite embedded by default, PostgreSQL when configured. Every state
/// change runs in <see cref="InTransactionAsync{T}"/>: one command, one transaction.
/// </summary>
public sealed class Database : IAsyncDisposable
{
    // SQLite allows one writer at a time; queueing writers in process beats spinning on SQLITE_BUSY.
    private readonly SemaphoreSlim _sqliteWriter = new(1, 1);
    private readonly NpgsqlDataSource? _postgres;

    // Columns are snake_case, row classes PascalCase: Dapper maps one to the other wherever a Database is used.
    static Database() => Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;

    public const string GlobalEntraScope = "https://ossrdbms-aad.database.windows.net/.default";

    /// <param name="entraTokenScope">
    /// Null: sign in with the connection string's password. Otherwise the managed identity's token for this
    /// scope is the password (Azure China: https://ossrdbms-aad.database.chinacloudapi.cn/.default).
    /// </param>
    public Database(DatabaseProvider provider, string connectionString, string? entraTokenScope = null)
    {
        Provider = provider;
        if (provider == DatabaseProvider.Postgres)
        {
            var builder = new NpgsqlDataSourceBuilder(connectionString);
            if (entraTokenScope is not null)
            {
                // Azure Database for PostgreSQL with Entra authentication: the managed identity's access
                // token is the password, refreshed well before it expires (tokens last about an hour).
                var credential = new DefaultAzureCredential();
                builder.UsePeriodicPasswordProvider(async (_, ct) => (await credential.GetTokenAsync(
                        new TokenRequestContext([entraTokenScope]), ct)).Token,
                    TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(5));
            }
            _postgres = builder.Build();
            ConnectionString = connectionString;
        }
        else
        {
            var builder = new SqliteConnectionStringBuilder(connectionString) { DefaultTimeout = 30, Pooling = true };
            var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
            if (directory is not null) Directory.CreateDirectory(directory);
            ConnectionString = builder.ToString();
        }
    }

    public DatabaseProvider Provider { get; }
    public string ConnectionString { get; }

    public static Database FromConfiguration(IConfiguration configuration, string contentRoot)
    {
        var provider = (configuration["Database:Provider"] ?? "sqlite").ToLowerInvariant() switch
        {
            "sqlite" => DatabaseProvider.Sqlite,
            "postgres" or "postgresql" => DatabaseProvider.Postgres,
            var other => throw new InvalidOperationException($"Database:Provider '{other}' is not sqlite or postgres."),
        };
        var connectionString = configuration.GetConnectionString("Tongban");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (provider == DatabaseProvider.Postgres)
                throw new InvalidOperationException("Database:Provider is postgres but ConnectionStrings:Tongban is not set.");
            connectionString = $"Data Source={Path.Combine(contentRoot, "data", "tongban.db")}";
        }
        var entra = configuration.GetValue("Database:EntraAuthentication", false);
        return new Database(provider, connectionString,
            entra ? configuration["Database:EntraTokenScope"] ?? GlobalEntraScope : null);
    }

    /// <summary>
    /// An open connection. SQLite runs in WAL mode with <c>synchronous = NORMAL</c>: a commit reaches the WAL before it
    /// returns, so a killed process loses nothing it committed, but the WAL is flushed to disk at checkpoints rather than
    /// at every commit (with FULL, every write transaction held the single writer through an fsync, and that bounded
    /// intake). An operating-system crash or power cut can roll back the last commits, never corrupt the file: the
    /// embedded store is for one server; production runs on PostgreSQL.
    /// </summary>
    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        if (_postgres is not null) return await _postgres.OpenConnectionAsync(ct);
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(ct);
        await using (var synchronous = connection.CreateCommand())
        {
            synchronous.CommandText = "PRAGMA synchronous = NORMAL";
            await synchronous.ExecuteNonQueryAsync(ct);
        }
        return connection;
    }

    public async Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct = default)
    {
        if (Provider == DatabaseProvider.Sqlite) await _sqliteWriter.WaitAsync(ct);
        try
        {
            await using var connection = await OpenAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var result = await work(connection, transaction);
            await transaction.CommitAsync(ct);
            return result;
        }
        finally
        {
            if (Provider == DatabaseProvider.Sqlite) _sqliteWriter.Release();
        }
    }

    public Task InTransactionAsync(Func<DbConnection, DbTransaction, Task> work, CancellationToken ct = default) =>
        InTransactionAsync(async (c, t) => { await work(c, t); return true; }, ct);

    /// <summary>
    /// Makes transactions holding the same <paramref name="key"/> take turns until each commits or rolls back: a PostgreSQL
    /// transaction-level advisory lock, exclusive or <paramref name="shared"/>. Nothing on SQLite, whose writers take turns
    /// already (<see cref="InTransactionAsync{T}"/>). Keys are constants named by their owners; any distinct values do.
    /// </summary>
    public Task TakeTurnAsync(DbConnection connection, DbTransaction transaction, long key, bool shared = false) =>
        Provider == DatabaseProvider.Postgres
            ? Dapper.SqlMapper.ExecuteAsync(connection,
                shared ? "SELECT pg_advisory_xact_lock_shared(@key)" : "SELECT pg_advisory_xact_lock(@key)", new { key }, transaction)
            : Task.CompletedTask;

    /// <summary>A unique key refused a row: the effect it guards has already happened.</summary>
    public static bool IsUniqueViolation(Exception e) => e switch
    {
        SqliteException s => s.SqliteErrorCode == 19 && s.SqliteExtendedErrorCode is 2067 or 1555,
        PostgresException p => p.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null) await _postgres.DisposeAsync();
        _sqliteWriter.Dispose();
    }
}
