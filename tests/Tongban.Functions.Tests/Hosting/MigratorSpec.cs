using Dapper;
using Tongban.Storage;
using Tongban.Tests.Infrastructure;

namespace Tongban.Tests.Hosting;

/// <summary>The schema migrations as instances starting side by side meet them.</summary>
public abstract class MigratorSpec(Store kind)
{
    [Fact]
    public async Task Migrations_run_at_once_on_an_empty_database_all_succeed_and_apply_each_version_once()
    {
        await using var store = await TestStore.CreateAsync(kind);
        var database = store.Open();

        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => Migrator.MigrateAsync(database))));

        await using var c = await database.OpenAsync();
        var versions = (await c.QueryAsync<long>("SELECT version FROM schema_migrations ORDER BY version")).ToList();
        var scripts = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Storage", "Migrations", store.Provider), "*.sql");
        Assert.Equal(scripts.Length, versions.Count);
        Assert.Equal(versions.Distinct().Count(), versions.Count);
    }
}

public sealed class MigratorOnSqlite() : MigratorSpec(Store.Sqlite);

public sealed class MigratorOnPostgres() : MigratorSpec(Store.Postgres);
