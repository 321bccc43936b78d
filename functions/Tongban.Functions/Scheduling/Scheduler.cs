using Dapper;
using Tongban.Storage;
using Tongban.Work;

namespace Tongban.Scheduling;

/// <summary>Turns due periods into work items (once each) and reports how a timer invocation's runs went.</summary>
public sealed class Scheduler(Database database, IEnumerable<Schedule> schedules, WorkPump pump, TimeProvider clock)
{
    public IReadOnlyList<Schedule> Schedules { get; } = schedules.ToList();

    public async Task<IReadOnlyList<string>> EnqueueDueAsync(Schedule schedule, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var keys = new List<string>();
        await database.InTransactionAsync(async (c, t) =>
        {
            foreach (var period in schedule.DuePeriods(now))
            {
                await WorkItems.EnqueueAsync(c, t, schedule.Kind, period, schedule.DedupeKey(period), now, now);
                keys.Add(schedule.DedupeKey(period));
            }
        }, ct);
        pump.Wake();
        return keys;
    }

    public async Task EnqueueAllDueAsync(CancellationToken ct)
    {
        foreach (var schedule in Schedules) await EnqueueDueAsync(schedule, ct);
    }

    /// <summary>Work items among <paramref name="keys"/> that are not done, with their last error.</summary>
    public async Task<IReadOnlyList<(string Key, string Status, string? Error)>> UnfinishedAsync(IReadOnlyList<string> keys, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = new List<(string, string, string?)>();
        foreach (var key in keys)
        {
            var row = await connection.QuerySingleAsync<(string Status, string? LastError)>(
                "SELECT status, last_error FROM work_items WHERE dedupe_key = @key", new { key });
            if (row.Status != "done") rows.Add((key, row.Status, row.LastError));
        }
        return rows;
    }
}

/// <summary>Standalone, the schedules are checked every minute in process (under the Functions host, timers do it).</summary>
public sealed class SchedulerService(Scheduler scheduler, ILogger<SchedulerService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1));
        do
        {
            try
            {
                await scheduler.EnqueueAllDueAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogError(e, "Scheduling failed; trying again in a minute");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
