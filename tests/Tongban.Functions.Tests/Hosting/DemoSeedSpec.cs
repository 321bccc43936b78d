using Dapper;
using Tongban.Tests.Infrastructure;

namespace Tongban.Tests.Hosting;

/// <summary>A demo seed that stopped after the accounts (a crash, or a start without people) is finished by the next start.</summary>
public abstract class DemoSeedSpec(Store store)
{
    [Fact]
    public async Task A_start_after_an_interrupted_seed_adds_the_people_and_last_months_applications_once()
    {
        await using var first = await TestApp.StartAsync(store);
        await using var database = first.Store.Open();

        async Task<(long People, long Applications, long Staff)> CountAsync()
        {
            await using var c = await database.OpenAsync();
            return (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM persons"),
                await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM applications"),
                await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM staff"));
        }

        var accountsOnly = await CountAsync();
        Assert.Equal(0, accountsOnly.People);
        Assert.Equal(0, accountsOnly.Applications);

        await using (await TestApp.StartOnAsync(first.Store, null, "--Demo:People=48", "--Demo:Applications=12")) { }
        var seeded = await CountAsync();
        Assert.Equal(48, seeded.People);
        Assert.Equal(12, seeded.Applications);
        Assert.Equal(accountsOnly.Staff, seeded.Staff);

        await using (await TestApp.StartOnAsync(first.Store, null, "--Demo:People=48", "--Demo:Applications=12")) { }
        Assert.Equal(seeded, await CountAsync());
    }
}

public sealed class DemoSeedOnSqlite() : DemoSeedSpec(Store.Sqlite);

public sealed class DemoSeedOnPostgres() : DemoSeedSpec(Store.Postgres)
{
    [Theory]
    [InlineData(300)]
    [InlineData(1000)]
    public async Task A_second_instance_started_while_the_first_seeds_starts_and_the_demo_is_seeded_once(int afterMs)
    {
        await using var store = await TestStore.CreateAsync(Store.Postgres);
        string[] demo = ["--Demo:People=2000", "--Demo:Applications=12"];
        var first = TestApp.StartOnAsync(store, null, demo);
        await Task.Delay(afterMs, TestContext.Current.CancellationToken);
        var apps = await Task.WhenAll(first, TestApp.StartOnAsync(store, null, demo));
        try
        {
            await using var database = store.Open();
            await using var c = await database.OpenAsync();
            Assert.Equal(2000, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM persons"));
            Assert.Equal(12, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM applications"));
        }
        finally
        {
            foreach (var app in apps) await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Two_instances_started_at_once_on_an_empty_database_both_start_and_file_the_caseload_once()
    {
        await using var store = await TestStore.CreateAsync(Store.Postgres);
        string[] demo = ["--Demo:People=48", "--Demo:Applications=12"];
        var apps = await Task.WhenAll(TestApp.StartOnAsync(store, null, demo), TestApp.StartOnAsync(store, null, demo));
        try
        {
            await using var database = store.Open();
            await using var c = await database.OpenAsync();
            Assert.Equal(48, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM persons"));
            Assert.Equal(12, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM applications"));
            Assert.Equal(1, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM portals"));
        }
        finally
        {
            foreach (var app in apps) await app.DisposeAsync();
        }
    }
}
