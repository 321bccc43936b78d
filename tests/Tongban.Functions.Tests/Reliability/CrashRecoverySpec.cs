using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Tongban.Tests.Archive;
using Tongban.Tests.Infrastructure;

namespace Tongban.Tests.Reliability;

/// <summary>The Durable backend a crash suite runs on: the standalone default, or Azure Storage on Azurite.</summary>
public enum Backend { InMemory, AzureStorage }

/// <summary>
/// Kill the app (SIGKILL) while applications are being submitted and verified, and again while they are
/// being reviewed and routed; restart it; clients retry what failed with the same keys. With a second instance on
/// the same database, requests go to both and only one is killed. Every application must reach its state exactly
/// once, and no SMS may be lost or doubled — in the database or at the gateway.
/// </summary>
public abstract class CrashRecoverySpec(Store kind, Backend backend, bool twoInstances) : IAsyncLifetime
{
    private const int Applicants = 120;
    private readonly AzuriteFixture _azurite = new();
    private readonly string _taskHub = "crash" + Guid.NewGuid().ToString("N")[..12];
    private TestStore _store = null!;
    private AppProcess? _app;
    private AppProcess? _second;

    public async ValueTask InitializeAsync()
    {
        _store = await TestStore.CreateAsync(kind);
        if (backend == Backend.AzureStorage) await _azurite.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        // A failed assertion must not leave a child process running.
        if (_app is not null) await _app.DisposeAsync();
        if (_second is not null) await _second.DisposeAsync();
        await _azurite.DisposeAsync();
        await _store.DisposeAsync();
    }

    /// <summary>A message claimed by a killed instance is sent again after 2 s instead of the production two minutes.</summary>
    private string[] Settings()
    {
        string[] common = ["--Sms:RetryAfterSeconds=2"];
        return backend == Backend.AzureStorage
            ? [.. common, "--Durable:Backend=AzureStorage", $"--Durable:StorageConnection={_azurite.ConnectionString}", $"--Durable:TaskHub={_taskHub}",
                "--Durable:VisibilityTimeoutSeconds=15"]
            : common;
    }

    [Fact]
    public async Task Killing_the_app_mid_run_loses_nothing_and_does_nothing_twice()
    {
        if (backend == Backend.AzureStorage) _azurite.Require();
        var port = AppProcess.FreePort();
        var app = _app = await AppProcess.StartAsync(_store, port, Settings());
        var second = _second = twoInstances ? await AppProcess.StartAsync(_store, AppProcess.FreePort(), Settings()) : null;
        var people = Enumerable.Range(1, Applicants).ToList();
        // Every fifth person resigned: verification rejects them, so both outcomes are exercised.
        var csv = People.Csv(people.Select(n => n % 5 == 0
            ? People.Spell(People.IdNumber(n), "孙七", "460200", n, "2018-01", "2026-08", "resigned")
            : People.EligibleInSanya(n, "孙七")).ToArray());
        using (var admin = await TestApp.StaffAsync(app.Address, "admin"))
            (await admin.PostAsync("/api/v1/admin/insured-persons/import", new StringContent(csv, Encoding.UTF8, "text/csv"))).EnsureSuccessStatusCode();

        // Phase 1: submit, and kill the app half-way through the submissions.
        var accepted = new ConcurrentDictionary<int, string>();
        var submitting = SubmitAllAsync([app.Address, .. second is null ? Array.Empty<Uri>() : [second.Address]], people, accepted);
        while (accepted.Count < Applicants / 2) await Task.Delay(5);
        await app.KillAsync();
        await submitting;
        app = _app = await AppProcess.StartAsync(_store, port, Settings());
        await SubmitAllAsync([app.Address], people.Where(n => !accepted.ContainsKey(n)).ToList(), accepted);
        Assert.Equal(Applicants, accepted.Count);
        await WaitUntilAsync(() => CountAsync("SELECT COUNT(*) FROM applications WHERE status = 'verifying'"), 0);

        // Phase 2: first reviews in flight when the app dies again.
        var approved = new ConcurrentDictionary<string, bool>();
        var eligible = accepted.Where(p => p.Key % 5 != 0).Select(p => p.Value).ToList();
        var reviewing = ApproveAllAsync(second?.Address ?? app.Address, eligible, approved);
        while (approved.Count < eligible.Count / 3) await Task.Delay(5);
        await (second ?? app).KillAsync();
        await reviewing;
        if (second is null) app = _app = await AppProcess.StartAsync(_store, port, Settings());
        else second = _second = await AppProcess.StartAsync(_store, AppProcess.FreePort(), Settings());
        await ApproveAllAsync(app.Address, eligible.Where(id => !approved.ContainsKey(id)).ToList(), approved);
        await WaitUntilAsync(() => CountAsync("SELECT COUNT(*) FROM notifications WHERE status <> 'sent'"), 0);
        await app.DisposeAsync();
        if (second is not null) await second.DisposeAsync();

        Assert.Equal(Applicants, await CountAsync("SELECT COUNT(*) FROM applications"));
        Assert.Equal(Applicants - Applicants / 5, await CountAsync("SELECT COUNT(*) FROM applications WHERE status = 'final-review'"));
        Assert.Equal(Applicants / 5, await CountAsync("SELECT COUNT(*) FROM applications WHERE status = 'rejected'"));
        // Exactly once: one of each history event and one SMS per step and application.
        Assert.Equal(0, await CountAsync(
            "SELECT COUNT(*) FROM (SELECT application_id, type FROM application_events GROUP BY application_id, type HAVING COUNT(*) > 1) doubled"));
        // (The month's outreach campaign, started by its timer at each start, may also have texted people before they
        // applied: those SMS belong to no application, are one per person by their key, and the gateway check below
        // counts them too.)
        Assert.Equal(0, await CountAsync(
            "SELECT COUNT(*) FROM (SELECT application_id, template FROM notifications WHERE application_id IS NOT NULL " +
            "GROUP BY application_id, template HAVING COUNT(*) > 1) doubled"));
        Assert.Equal(Applicants, await CountAsync("SELECT COUNT(*) FROM notifications WHERE template = 'received'"));
        Assert.Equal(Applicants / 5, await CountAsync("SELECT COUNT(*) FROM notifications WHERE template = 'verification-failed'"));
        // Only the Haikou counter claims moved city for final review: online ones were first reviewed in Sanya already.
        Assert.Equal(accepted.Keys.Count(n => n % 5 != 0 && n % 2 == 0),
            await CountAsync("SELECT COUNT(*) FROM notifications WHERE template = 'routed'"));
        // The gateway (the local sink) got every message exactly once.
        var sent = (await File.ReadAllLinesAsync(Path.Combine(_store.Folder, "sms-outbox.jsonl")))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("key").GetString()).ToList();
        Assert.Equal(sent.Count, sent.Distinct().Count());
        await using (var database = _store.Open())
        await using (var connection = await database.OpenAsync())
        {
            var queued = (await connection.QueryAsync<(string Key, string Template, string Status)>(
                "SELECT dedupe_key, template, status FROM notifications")).ToList();
            Assert.Empty(queued.Where(n => !sent.Contains(n.Key)).Select(n => $"{n.Template} ({n.Status})"));
            Assert.Equal(queued.Count, sent.Count);
        }
    }

    /// <summary>Submits each person once, spread over the instances; an instance that dies makes that person wait for the retry.</summary>
    private static async Task SubmitAllAsync(IReadOnlyList<Uri> addresses, IReadOnlyList<int> people, ConcurrentDictionary<int, string> accepted)
    {
        var portals = addresses.Select(address =>
        {
            var portal = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
            portal.DefaultRequestHeaders.Add("X-Api-Key", TestApp.PortalKey);
            return portal;
        }).ToList();
        await Parallel.ForEachAsync(people, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (n, _) =>
        {
            var portal = portals[n % portals.Count];
            try
            {
                var office = n % 2 == 0 ? "460100-01" : null;
                var response = await portal.SubmitAsync(People.Application(People.IdNumber(n), "孙七", office is null ? "online" : "counter", office),
                    key: $"person-{n}");
                if (response.StatusCode == HttpStatusCode.Accepted)
                    accepted[n] = (await response.JsonAsync()).GetProperty("applicationId").GetString()!;
            }
            catch (HttpRequestException) { } // the app died under us: retried after the restart
            catch (TaskCanceledException) { }
        });
        foreach (var portal in portals) portal.Dispose();
    }

    private static async Task ApproveAllAsync(Uri address, IReadOnlyList<string> applications, ConcurrentDictionary<string, bool> approved)
    {
        var clients = new ConcurrentDictionary<string, HttpClient>();
        try
        {
            await Parallel.ForEachAsync(applications, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (id, _) =>
            {
                try
                {
                    using var portal = new HttpClient { BaseAddress = address };
                    portal.DefaultRequestHeaders.Add("X-Api-Key", TestApp.PortalKey);
                    var application = await portal.GetJsonAsync($"/api/v1/applications/{id}");
                    if (application.GetProperty("status").GetString() != "first-review") { approved[id] = true; return; }
                    var office = application.GetProperty("assignedOffice").GetString()!;
                    var reviewer = clients.GetOrAdd(office, o => TestApp.StaffAsync(address, $"{o}-r1").GetAwaiter().GetResult());
                    var response = await reviewer.PostAsJsonAsync($"/api/v1/applications/{id}/first-review", new { decision = "approve" });
                    if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict) approved[id] = true;
                }
                catch (HttpRequestException) { }
                catch (TaskCanceledException) { }
            });
        }
        finally
        {
            foreach (var client in clients.Values) client.Dispose();
        }
    }


    private async Task<long> CountAsync(string sql)
    {
        await using var database = _store.Open();
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    private async Task WaitUntilAsync(Func<Task<long>> count, long expected)
    {
        // Azure Storage on Azurite runs some fifteen orchestrations a second; a killed worker's partition leases expire
        // after 30 s and the messages it had dequeued reappear after the visibility timeout.
        var seconds = backend == Backend.AzureStorage ? 180 : 60;
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        long last;
        while ((last = await count()) != expected)
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Still {last}, expected {expected}, after {seconds} s.");
            await Task.Delay(100);
        }
    }
}

public sealed class CrashRecoveryOnSqlite() : CrashRecoverySpec(Store.Sqlite, Backend.InMemory, twoInstances: false);

public sealed class CrashRecoveryOnPostgres() : CrashRecoverySpec(Store.Postgres, Backend.InMemory, twoInstances: false);

/// <summary>Each instance has its own in-memory task hub: a review at the other instance starts an orchestration there.</summary>
public sealed class TwoInstancesCrashOnPostgres() : CrashRecoverySpec(Store.Postgres, Backend.InMemory, twoInstances: true);

public sealed class CrashRecoveryOnAzureStorage() : CrashRecoverySpec(Store.Sqlite, Backend.AzureStorage, twoInstances: false);

/// <summary>Two instances share one task hub on Azure Storage, as Functions instances do when they scale out.</summary>
public sealed class TwoInstancesCrashOnPostgresAndAzureStorage() : CrashRecoverySpec(Store.Postgres, Backend.AzureStorage, twoInstances: true);
