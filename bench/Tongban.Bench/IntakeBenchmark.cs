using System.Runtime;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Dapper;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tongban.Domain.Identifiers;
using Tongban.Domain.Registry;
using Tongban.Hosting;
using Tongban.Registry;
using Tongban.Storage;

namespace Tongban.Bench;

/// <summary>
/// Intake over real HTTP: N eligible people (and up to 10,000 more for warm-up rounds that are not measured) are
/// imported, then C concurrent clients submit one application each; each submission starts the claim's Durable orchestration, which verifies it and waits in first review.
/// Reports accepted/s, p50/p99 latency, how long until every application reached first review (claims orchestrated
/// per second), and then — the task hub lost with a restart — how fast the reconciler rebuilds every claim's
/// orchestration from the database. The clients run in the same process as the server, so they share its two cores.
/// <paramref name="durable"/> is the Durable backend: <c>InMemory</c>, or <c>AzureStorage</c> on the connection in
/// TONGBAN_BENCH_AZURITE (e.g. <c>UseDevelopmentStorage=true</c> with Azurite running).
/// </summary>
public static class IntakeBenchmark
{
    public static async Task RunAsync(string provider, int applications, int clients, string? postgres, string durable)
    {
        await using var store = await BenchStore.CreateAsync(provider, postgres, b => (b.MaxPoolSize, b.MaxAutoPrepare, b.NoResetOnClose) = (64, 32, true));
        var (folder, connection, database) = (store.Folder, store.ConnectionString, store.Database);

        string[] settings =
        [
            $"--Database:Provider={provider}", $"--ConnectionStrings:Tongban={connection}",
            $"--PersonalData:EncryptionKey={Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}",
            $"--PersonalData:IndexKey={Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}",
            "--Demo:Enabled=true", "--Demo:People=0", "--Demo:Password=bench", "--Demo:PortalKey=bench-key",
            "--RateLimit:PortalPerSecond=100000", $"--Sms:OutboxPath={Path.Combine(folder, "sms.jsonl")}",
            "--urls=http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning",
            // No outreach campaign texting the imported people in the middle of the measurement.
            "--Outreach:Monthly=false",
            $"--Durable:Backend={durable}", $"--Durable:TaskHub=bench{Guid.NewGuid():N}"[..30],
            $"--Durable:StorageConnection={Environment.GetEnvironmentVariable("TONGBAN_BENCH_AZURITE")}",
            .. Environment.GetEnvironmentVariable("TONGBAN_BENCH_ACTIVITIES") is { Length: > 0 } concurrency
                ? [$"--Durable:MaxConcurrentActivities={concurrency}"] : Array.Empty<string>(),
        ];
        var label = $"{provider}, {durable}";
        var app = await TongbanApp.BuildAsync(settings);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        // Warm-up rounds, not measured, until the JIT has settled (under 3% of a round's CPU; 10 to 15 rounds on two cores):
        // tiered compilation recompiles the hot paths of ASP.NET, gRPC, Durable Task, Dapper and the SQL drivers (twice with dynamic PGO) for the first tens of seconds of CPU,
        // which a server that runs for days never sees again.
        const int round = 1_000, maxRounds = 30;
        var ids = Enumerable.Range(0, maxRounds * round + applications).Select(IdNumber).ToList();
        var db = app.Services.GetRequiredService<Database>();
        var import = Stopwatch.StartNew();
        var rows = ids.Select((id, i) => (i + 2, new RegistryRow(id, "测试", "13800138000", "6217000010000000001", "460200",
            "91460200MA5T00000" + "0", "测试公司", "2018-01", "2026-08", "contract-expired")));
        await app.Services.GetRequiredService<RegistryImport>().ImportAsync(rows.ToAsyncEnumerable(), CancellationToken.None);
        Console.WriteLine($"[{label}] imported {ids.Count:N0} people in {import.Elapsed.TotalSeconds:F1} s");

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients }) { BaseAddress = address };
        http.DefaultRequestHeaders.Add("X-Api-Key", "bench-key");
        var (warmup, jitShare) = (0, 1.0);
        for (; jitShare > 0.03 && warmup < maxRounds * round; warmup += round)
        {
            var (cpu, jit) = (Process.GetCurrentProcess().TotalProcessorTime, JitInfo.GetCompilationTime());
            await SubmitAsync(http, ids[warmup..(warmup + round)], clients);
            await UntilNoneVerifyingAsync(db);
            jitShare = (JitInfo.GetCompilationTime() - jit) / (Process.GetCurrentProcess().TotalProcessorTime - cpu);
        }
        ids = ids[..(warmup + applications)];
        Console.WriteLine($"[{label}] warmed up with {warmup:N0} applications (JIT {jitShare:P0} of the last round's CPU)");

        var cpuBefore = (App: Process.GetCurrentProcess().TotalProcessorTime, Postgres: PostgresCpu(database), Jit: JitInfo.GetCompilationTime());
        var (pauseBefore, gen2Before) = (GC.GetTotalPauseDuration(), GC.CollectionCount(2));
        var wall = Stopwatch.StartNew();
        var (accepted, latencies) = await SubmitAsync(http, ids[warmup..], clients);
        var intake = wall.Elapsed;
        var (intakePause, intakeGen2) = (GC.GetTotalPauseDuration() - pauseBefore, GC.CollectionCount(2) - gen2Before);
        await UntilNoneVerifyingAsync(db);
        var toFirstReview = wall.Elapsed;
        var appCpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore.App;
        var jitCpu = JitInfo.GetCompilationTime() - cpuBefore.Jit;
        var postgresCpu = PostgresCpu(database) - cpuBefore.Postgres;
        await using (var c = await db.OpenAsync())
        {
            var inFirstReview = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM applications WHERE status = 'first-review'");
            if (inFirstReview != ids.Count) throw new InvalidOperationException($"{inFirstReview} of {ids.Count} reached first review.");
        }

        Array.Sort(latencies);
        Console.WriteLine($"[{label}] {accepted:N0} of {applications:N0} accepted in {intake.TotalSeconds:F2} s with {clients} clients: " +
                          $"{accepted / intake.TotalSeconds:F0} accepted/s, p50 {latencies[applications / 2]:F1} ms, p99 {latencies[(int)(applications * 0.99)]:F1} ms");
        Console.WriteLine($"[{label}] all {applications:N0} verified and in first review {toFirstReview.TotalSeconds:F2} s after the first submission " +
                          $"({applications / toFirstReview.TotalSeconds:F0} claims orchestrated/s)");
        // CPU per claim does not depend on what else the machine runs, as the wall-clock figures do.
        Console.WriteLine($"[{label}] CPU per claim, intake to first review: {appCpu.TotalMilliseconds * 1000 / applications:F0} µs in this process" +
                          $" (JIT {jitCpu.TotalMilliseconds * 1000 / applications:F0} µs)" +
                          (provider == "postgres" ? $", {postgresCpu.TotalMilliseconds * 1000 / applications:F0} µs in its PostgreSQL backends" : "") +
                          $" (load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
        // Every request waits out a garbage collection's pause: with server GC the pauses are what the p99 is made of.
        Console.WriteLine($"[{label}] garbage collection during intake: {intakePause.TotalMilliseconds:F0} ms paused in all " +
                          $"({intakePause / intake:P1} of the time), {intakeGen2} gen-2 collections");
        await app.StopAsync();
        await app.DisposeAsync();

        // A restart on a fresh task hub: the reconciler starts every open claim's orchestration from the database, and
        // each reads its claim, delivers nothing new and waits at first review again.
        var rebuilt = Stopwatch.StartNew();
        await using (var restarted = await TongbanApp.BuildAsync([.. settings, $"--Durable:TaskHub=bench{Guid.NewGuid():N}"[..30]]))
        {
            await restarted.StartAsync();
            var client = restarted.Services.GetRequiredService<DurableTaskClient>();
            var query = new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Running], PageSize = 1000, FetchInputsAndOutputs = true };
            int waitingAgain;
            do
            {
                await Task.Delay(200);
                waitingAgain = 0;
                await foreach (var instance in client.GetAllInstancesAsync(query))
                    if (instance.SerializedCustomStatus?.Contains("\"first-review\"") == true) waitingAgain++;
            } while (waitingAgain < ids.Count && rebuilt.Elapsed < TimeSpan.FromMinutes(10));
            Console.WriteLine($"[{label}] after a restart, {waitingAgain:N0} orchestrations rebuilt from the database and waiting in " +
                              $"{rebuilt.Elapsed.TotalSeconds:F2} s ({waitingAgain / rebuilt.Elapsed.TotalSeconds:F0}/s)");
            await restarted.StopAsync();
        }
    }

    /// <summary>Each of <paramref name="clients"/> concurrent clients submits the next application until none is left.</summary>
    private static async Task<(int Accepted, double[] Latencies)> SubmitAsync(HttpClient http, List<string> ids, int clients)
    {
        var latencies = new double[ids.Count];
        var accepted = 0;
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < ids.Count)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/applications")
                {
                    Content = JsonContent.Create(new
                    {
                        serviceItem = "unemployment-benefit", channel = "counter", acceptingOffice = "460100-01",
                        applicant = new { idNumber = ids[i], name = "测试", mobile = "13800138000" },
                    }),
                };
                request.Headers.Add("Idempotency-Key", $"bench-{ids[i]}");
                var started = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (response.StatusCode == HttpStatusCode.Accepted) Interlocked.Increment(ref accepted);
            }
        }));
        return (accepted, latencies);
    }

    private static async Task UntilNoneVerifyingAsync(Database db)
    {
        long waiting;
        do
        {
            await Task.Delay(100);
            await using var c = await db.OpenAsync();
            waiting = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM applications WHERE status = 'verifying'");
        } while (waiting > 0);
    }

    private static string IdNumber(int n)
    {
        var first17 = "4602" + (n / 1000 % 100).ToString("D2") + "19800101" + (n % 1000).ToString("D3");
        return first17 + IdentityNumber.CheckCharacter(first17);
    }

    /// <summary>CPU time so far of the PostgreSQL backends serving <paramref name="database"/> (Linux /proc; zero elsewhere).</summary>
    private static TimeSpan PostgresCpu(string? database)
    {
        if (database is null || !Directory.Exists("/proc")) return TimeSpan.Zero;
        long ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var close = stat.LastIndexOf(')');
                if (!stat[(stat.IndexOf('(') + 1)..close].StartsWith("postgres", StringComparison.Ordinal)
                    || !File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(database, StringComparison.Ordinal)) continue;
                var fields = stat[(close + 2)..].Split(' ');
                ticks += long.Parse(fields[11]) + long.Parse(fields[12]); // utime, stime (fields 14 and 15 of stat)
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ is 100 on Linux
    }
}
