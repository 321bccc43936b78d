using Dapper;
using Microsoft.Extensions.Configuration;
using Tongban.Archive;
using Tongban.Tests.Infrastructure;

namespace Tongban.Tests.Payouts;

/// <summary>
/// Writing the bank files outlasts the run's lease (here: each file's upload takes 60% of a lease on the clock): the
/// run keeps its lease as it writes, so the worker of a second instance on the same store does not take the run over
/// and start writing the files too.
/// </summary>
public abstract class LongBankFileSpec(Store store) : IAsyncLifetime
{
    private const int LeaseSeconds = 60;
    private PayoutDriver _d = null!;
    private TestApp _second = null!;

    /// <summary>An archive whose uploads of bank files take most of a lease, and give the pump time to look meanwhile.</summary>
    private sealed class SlowArchive(IArchive inner, ManualClock clock) : IArchive
    {
        public async Task PutAsync(string path, Stream content, string contentType, CancellationToken ct)
        {
            if (path.StartsWith("payouts/", StringComparison.Ordinal))
            {
                clock.Advance(TimeSpan.FromSeconds(LeaseSeconds * 0.6));
                await Task.Delay(300, ct);
            }
            await inner.PutAsync(path, content, contentType, ct);
        }

        public Task<Stream?> OpenReadAsync(string path, CancellationToken ct) => inner.OpenReadAsync(path, ct);
    }

    public async ValueTask InitializeAsync()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 10, 20, 9, 0, 0, PayoutDriver.China));
        var app = await TestApp.StartAsync(store, builder =>
        {
            builder.Services.AddSingleton<TimeProvider>(clock);
            builder.Services.AddSingleton<IArchive>(sp => new SlowArchive(
                ArchiveRegistration.Create(sp.GetRequiredService<IConfiguration>(), builder.Environment.ContentRootPath), clock));
        }, $"--Work:LeaseSeconds={LeaseSeconds}");
        _d = new PayoutDriver(app, clock, await app.StaffAsync("admin"));
        await _d.ScheduledRunAsync("2026-10");
        _second = await TestApp.StartOnAsync(app.Store, TestApp.WithClock(clock), $"--Work:LeaseSeconds={LeaseSeconds}");
    }

    public async ValueTask DisposeAsync()
    {
        await _second.DisposeAsync();
        await _d.DisposeAsync();
    }

    [Fact]
    public async Task The_run_keeps_its_lease_while_files_outlasting_it_are_written()
    {
        var people = EntitlementSeed.Cities.Select((city, i) => new Person(41 + i, "赵" + "一二三四五"[i], city, city)).ToList();
        await _d.ImportAsync([.. people.Select(p => p.Spell())]);
        foreach (var person in people) await _d.ApproveAsync(person);
        await _d.TodayAsync(2026, 11, 1);

        var run = await _d.RunAsync("2026-11");

        Assert.Equal(EntitlementSeed.Cities.Length, run.GetProperty("files").GetArrayLength());
        await using var database = _d.App.Store.Open();
        await using var c = await database.OpenAsync();
        var (attempts, status) = await c.QuerySingleAsync<(long, string)>(
            "SELECT attempts, status FROM work_items WHERE kind = 'payout-run' AND payload = '2026-11'");
        Assert.Equal("done", status);
        Assert.Equal(1, attempts);
    }
}

public sealed class LongBankFileOnSqlite() : LongBankFileSpec(Store.Sqlite);

public sealed class LongBankFileOnPostgres() : LongBankFileSpec(Store.Postgres);
