using Dapper;

namespace Tongban.Storage;

/// <summary>
/// Applies the versioned SQL scripts under Storage/Migrations/{provider}/ in order, each in its own
/// transaction with its row in schema_migrations, so a crash half-way leaves a version applied or not.
/// </summary>
public static class Migrator
{
    // Names "schema migrations" for PostgreSQL's advisory locks (Database.TakeTurnAsync); any constant would do.
    private const long SchemaLockKey = 0x534348454D41;

    public static async Task MigrateAsync(Database database, CancellationToken ct = default)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "Storage", "Migrations",
            database.Provider == DatabaseProvider.Postgres ? "postgres" : "sqlite");
        var scripts = Directory.GetFiles(folder, "*.sql")
            .Select(path => (Version: int.Parse(Path.GetFileName(path).Split('_')[0]), Path: path))
            .OrderBy(s => s.Version)
            .ToList();

        if (database.Provider == DatabaseProvider.Sqlite)
        {
            await using var connection = await database.OpenAsync(ct);
            await connection.ExecuteAsync("PRAGMA journal_mode = WAL;");
        }
        await database.InTransactionAsync(async (connection, transaction) =>
        {
            // Two instances starting at once on an empty PostgreSQL database both get past IF NOT EXISTS and the
            // second CREATE fails on the catalog's unique key: the advisory lock (released at commit) makes them queue.
            await database.TakeTurnAsync(connection, transaction, SchemaLockKey);
            await connection.ExecuteAsync(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)",
                transaction: transaction);
        }, ct);

        foreach (var script in scripts)
        {
            await database.InTransactionAsync(async (connection, transaction) =>
            {
                if (database.Provider == DatabaseProvider.Postgres)
                    await connection.ExecuteAsync("LOCK TABLE schema_migrations IN EXCLUSIVE MODE", transaction: transaction);
                var applied = await connection.ExecuteScalarAsync<long>(
                    "SELECT COUNT(*) FROM schema_migrations WHERE version = @version", new { version = script.Version }, transaction);
                if (applied > 0) return;
                await connection.ExecuteAsync(await File.ReadAllTextAsync(script.Path, ct), transaction: transaction);
                await connection.ExecuteAsync("INSERT INTO schema_migrations (version, applied_at) VALUES (@version, @at)",
                    new { version = script.Version, at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, transaction);
            }, ct);
        }
    }
}
