using System.Threading.Channels;

namespace Tongban.Work;

/// <summary>
/// Leases due work items and runs their handlers. Standalone it runs continuously in process;
/// under the Functions host a timer also drains it (<see cref="DrainAsync"/>).
/// </summary>
public sealed class WorkPump(WorkItems items, IEnumerable<IWorkHandler> handlers, ILogger<WorkPump> log)
{
    private const int BatchSize = 64;
    private const int Parallelism = 4;
    private readonly Dictionary<string, IWorkHandler> _handlers = handlers.ToDictionary(h => h.Kind);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly string _owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    /// <summary>New work was committed: look now rather than at the next poll.</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    public async Task RunAsync(TimeSpan pollInterval, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (await DrainAsync(ct) > 0) continue;
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(pollInterval);
                try { await _wake.Reader.ReadAsync(timeout.Token); }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested) { }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
            catch (Exception e)
            {
                log.LogError(e, "Work pump failed; retrying");
                await Task.Delay(pollInterval, ct).ContinueWith(_ => { });
            }
        }
    }

    /// <summary>Runs every due item until none is left; returns how many ran.</summary>
    public async Task<int> DrainAsync(CancellationToken ct)
    {
        var total = 0;
        while (!ct.IsCancellationRequested)
        {
            var batch = await items.LeaseAsync(_owner, BatchSize, ct);
            if (batch.Count == 0) break;
            await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct },
                async (item, token) => await RunOneAsync(item, token));
            total += batch.Count;
        }
        return total;
    }

    private async Task RunOneAsync(WorkItem item, CancellationToken ct)
    {
        try
        {
            if (!_handlers.TryGetValue(item.Kind, out var handler))
                throw new InvalidOperationException($"No handler for work item kind '{item.Kind}'.");
            await handler.HandleAsync(item, ct);
        }
        catch (LeaseLostException e)
        {
            log.LogWarning("{Message}", e.Message);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            log.LogWarning(e, "Work item {Id} ({Kind}) failed on attempt {Attempt} of {Max}", item.Id, item.Kind, item.Attempts, item.MaxAttempts);
            await items.FailAsync(item, e.Message, CancellationToken.None);
        }
    }
}

/// <summary>Runs the pump in process while the app runs standalone.</summary>
public sealed class WorkPumpService(WorkPump pump, IConfiguration configuration) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        pump.RunAsync(TimeSpan.FromMilliseconds(configuration.GetValue("Work:PollMilliseconds", 1000)), stoppingToken);
}
