using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using NCrontab;

namespace Tongban.Hosting;

/// <summary>
/// Standalone, the timer-triggered functions run in process on their own CRON schedules (UTC, six fields, as the
/// Functions host reads them, parsed by NCrontab as the host does), and each runs once at start-up: the jobs catch up
/// what is due (a month missed while everything was down), and each does its work once however often it runs.
/// A function is switched off as the Functions host switches it off: the setting
/// <c>AzureWebJobs.&lt;FunctionName&gt;.Disabled=true</c>.
/// </summary>
public sealed class StandaloneTimers(IServiceProvider services, IConfiguration configuration, TimeProvider clock,
    ILogger<StandaloneTimers> log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(FunctionCatalog.With<TimerTriggerAttribute>()
            .Where(f => !configuration.GetValue<bool>($"AzureWebJobs.{f.Name}.Disabled"))
            .Select(f => RunAsync(f, stoppingToken)));

    private async Task RunAsync(FunctionCatalog.Function function, CancellationToken ct)
    {
        var schedule = CrontabSchedule.Parse(function.Trigger.GetCustomAttribute<TimerTriggerAttribute>()!.Schedule,
            new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        var next = clock.GetUtcNow();
        while (!ct.IsCancellationRequested)
        {
            var wait = next - clock.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                try { await Task.Delay(wait, ct); }
                catch (OperationCanceledException) { return; }
            }
            try
            {
                await FunctionCatalog.InvokeAsync(function, services, new TimerInfo(), ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                log.LogError(e, "Timer function {Function} failed; it runs again at its next occurrence", function.Name);
            }
            next = new DateTimeOffset(schedule.GetNextOccurrence(clock.GetUtcNow().UtcDateTime), TimeSpan.Zero);
        }
    }
}
