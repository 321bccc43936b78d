using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Tongban.Storage;
using Tongban.Tests.Infrastructure;
using Tongban.Work;

namespace Tongban.Tests.Work;

/// <summary>The transactional outbox: leases, completion, retries with backoff, dead letters, lost leases.</summary>
public abstract class WorkItemsSpec(Store kind) : IAsyncLifetime
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(8)));
    private TestStore _store = null!;
    private Database _database = null!;
    private WorkItems _items = null!;

    public async ValueTask InitializeAsync()
    {
        _store = await TestStore.CreateAsync(kind);
        _database = _store.Open();
        await Migrator.MigrateAsync(_database);
        _items = new WorkItems(_database, _clock, TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync();
        await _store.DisposeAsync();
    }

    [Fact]
    public async Task An_item_is_enqueued_once_per_key_and_leased_by_one_worker_only()
    {
        await EnqueueAsync("k1");
        await EnqueueAsync("k1");

        var first = await _items.LeaseAsync("worker-a", 10, CancellationToken.None);
        var second = await _items.LeaseAsync("worker-b", 10, CancellationToken.None);

        Assert.Single(first);
        Assert.Empty(second);
        Assert.Equal(1, first[0].Attempts);
    }

    [Fact]
    public async Task A_crashed_workers_lease_expires_and_the_item_runs_again()
    {
        await EnqueueAsync("k2");
        var leased = (await _items.LeaseAsync("crashed", 10, CancellationToken.None)).Single();

        _clock.Advance(_items.LeaseDuration + TimeSpan.FromSeconds(1));
        var again = (await _items.LeaseAsync("survivor", 10, CancellationToken.None)).Single();

        Assert.Equal(leased.Id, again.Id);
        Assert.Equal(2, again.Attempts);
        // The crashed worker wakes up late: its completion must not commit alongside the survivor's.
        await Assert.ThrowsAsync<LeaseLostException>(() => _database.InTransactionAsync((c, t) => _items.CompleteAsync(c, t, leased)));
        await _database.InTransactionAsync((c, t) => _items.CompleteAsync(c, t, again));
        Assert.Equal("done", await StatusAsync("k2"));
    }

    [Fact]
    public async Task A_failing_item_backs_off_exponentially_and_is_dead_lettered_after_its_last_attempt()
    {
        await EnqueueAsync("k3", maxAttempts: 3);
        var dueTimes = new List<long>();
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var item = (await _items.LeaseAsync("w", 10, CancellationToken.None)).Single();
            await _items.FailAsync(item, $"gateway down ({attempt})", CancellationToken.None);
            Assert.Empty(await _items.LeaseAsync("w", 10, CancellationToken.None));
            dueTimes.Add(await ScalarAsync<long>("SELECT due_at FROM work_items WHERE dedupe_key = 'k3'") - _clock.GetUtcNow().ToUnixTimeMilliseconds());
            _clock.Advance(TimeSpan.FromHours(2));
        }

        Assert.Equal("dead", await StatusAsync("k3"));
        Assert.Equal("gateway down (3)", await ScalarAsync<string>("SELECT last_error FROM work_items WHERE dedupe_key = 'k3'"));
        Assert.Equal(5_000, dueTimes[0]);
        Assert.Equal(10_000, dueTimes[1]);
        Assert.Empty(await _items.LeaseAsync("w", 10, CancellationToken.None));
    }

    [Fact]
    public async Task The_pump_runs_handlers_and_retries_one_that_throws()
    {
        await EnqueueAsync("flaky", kind: "flaky");
        var handler = new FlakyHandler(_database, _items);
        var pump = new WorkPump(_items, [handler], NullLogger<WorkPump>.Instance);

        Assert.Equal(1, await pump.DrainAsync(CancellationToken.None));
        Assert.Equal("pending", await StatusAsync("flaky"));
        _clock.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(1, await pump.DrainAsync(CancellationToken.None));

        Assert.Equal("done", await StatusAsync("flaky"));
        Assert.Equal(2, handler.Calls);
    }

    private Task EnqueueAsync(string key, int maxAttempts = 8, string kind = "test") =>
        _database.InTransactionAsync((c, t) =>
            WorkItems.EnqueueAsync(c, t, kind, "{}", key, _clock.GetUtcNow(), _clock.GetUtcNow(), maxAttempts));

    private Task<string> StatusAsync(string key) => ScalarAsync<string>($"SELECT status FROM work_items WHERE dedupe_key = '{key}'");

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = await _database.OpenAsync();
        return (await connection.ExecuteScalarAsync<T>(sql))!;
    }

    private sealed class FlakyHandler(Database database, WorkItems items) : IWorkHandler
    {
        public int Calls { get; private set; }
        public string Kind => "flaky";

        public async Task HandleAsync(WorkItem item, CancellationToken ct)
        {
            if (++Calls == 1) throw new InvalidOperationException("first call fails");
            await database.InTransactionAsync((c, t) => items.CompleteAsync(c, t, item), ct);
        }
    }
}

public sealed class WorkItemsOnSqlite() : WorkItemsSpec(Store.Sqlite);

public sealed class WorkItemsOnPostgres() : WorkItemsSpec(Store.Postgres);
