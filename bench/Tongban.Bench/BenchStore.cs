using Dapper;
using Npgsql;

namespace Tongban.Bench;

/// <summary>
/// A benchmark's own store: a temp folder (SQLite file, archive, SMS outbox) and, for PostgreSQL, a fresh database on
/// the server <c>TONGBAN_BENCH_POSTGRES</c> names. Disposing drops the database and deletes the folder.
/// </summary>
public sealed class BenchStore : IAsyncDisposable
{
    private readonly string? _admin;

    private BenchStore(string provider, string folder, string connection, string? database, string? admin)
    {
        Provider = provider;
        Folder = folder;
        ConnectionString = connection;
        Database = database;
        _admin = admin;
    }

    /// <summary><c>sqlite</c> or <c>postgres</c>.</summary>
    public string Provider { get; }
    public string Folder { get; }
    public string ConnectionString { get; }
    /// <summary>The PostgreSQL database's name; null on SQLite.</summary>
    public string? Database { get; }

    /// <param name="tune">PostgreSQL only: connection options of the bench (pool size, command timeout in seconds).</param>
    public static async Task<BenchStore> CreateAsync(string provider, string? postgres, Action<NpgsqlConnectionStringBuilder>? tune = null)
    {
        var folder = Directory.CreateTempSubdirectory("tongban-bench-").FullName;
        if (provider != "postgres") return new BenchStore(provider, folder, $"Data Source={Path.Combine(folder, "bench.db")}", null, null);
        var database = "tongban_bench_" + Guid.NewGuid().ToString("N")[..8];
        await using (var admin = new NpgsqlConnection(postgres)) await admin.ExecuteAsync($"CREATE DATABASE {database}");
        var builder = new NpgsqlConnectionStringBuilder(postgres) { Database = database };
        tune?.Invoke(builder);
        return new BenchStore(provider, folder, builder.ToString(), database, postgres);
    }

    public async ValueTask DisposeAsync()
    {
        if (Database is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(_admin);
            await admin.ExecuteAsync($"DROP DATABASE {Database} WITH (FORCE)");
        }
        Directory.Delete(Folder, recursive: true);
    }
}
