using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Dapper;
using Tongban.Tests.Infrastructure;

namespace Tongban.Tests.Reliability;

/// <summary>
/// Kill the app (SIGKILL) while applications are being submitted and verified, and again while they are
/// being reviewed and routed; restart it; clients retry what failed with the same keys. Every application
/// must reach its state exactly once, and no SMS may be lost or doubled.
/// </summary>
public abstract class CrashRecoverySpec(Store kind) : IAsyncLifetime
{
    private const int Applicants = 120;
    private TestStore _store = null!;
    private AppProcess? _app;

    public async ValueTask InitializeAsync() => _store = await TestStore.CreateAsync(kind);

    public async ValueTask DisposeAsync()
    {
        // A failed assertion must not leave a child process running.
        if (_app is not null) await _app.DisposeAsync();
        await _store.DisposeAsync();
    }

    [Fact]
    public async Task Killing_the_app_mid_run_loses_nothing_and_does_nothing_twice()
    {
        var port = AppProcess.FreePort();
        var app = _app = await AppProcess.StartAsync(_store, port);
        var people = Enumerable.Range(1, Applicants).ToList();
        // Every fifth person resigned: verification rejects them, so both outcomes are exercised.
        var csv = People.Csv(people.Select(n => n % 5 == 0
            ? People.Spell(People.IdNumber(n), "孙七", "460200", n, "2018-01", "2026-08", "resigned")
            : People.EligibleInSanya(n, "孙七")).ToArray());
        using (var admin = await TokenClientAsync(app.Address, "admin"))
            (await admin.PostAsync("/api/v1/admin/insured-persons/import", new StringContent(csv, Encoding.UTF8, "text/csv"))).EnsureSuccessStatusCode();

        // Phase 1: submit, and kill the app half-way through the submissions.
        var accepted = new ConcurrentDictionary<int, string>();
        var submitting = SubmitAllAsync(app.Address, people, accepted);
        while (accepted.Count < Applicants / 2) await Task.Delay(5);
        await app.KillAsync();
        await submitting;
        app = _app = await AppProcess.StartAsync(_store, port);
        await SubmitAllAsync(app.Address, people.Where(n => !accepted.ContainsKey(n)).ToList(), accepted);
        Assert.Equal(Applicants, accepted.Count);
        await WaitUntilAsync(() => CountAsync("SELECT COUNT(*) FROM applications WHERE status = 'verifying'"), 0);

        // Phase 2: first reviews in flight when the app dies again.
        var approved = new ConcurrentDictionary<string, bool>();
        var eligible = accepted.Where(p => p.Key % 5 != 0).Select(p => p.Value).ToList();
        var reviewing = ApproveAllAsync(app.Address, eligible, approved);
        while (approved.Count < eligible.Count / 3) await Task.Delay(5);
        await app.KillAsync();
        await reviewing;
        app = _app = await AppProcess.StartAsync(_store, port);
        await ApproveAllAsync(app.Address, eligible.Where(id => !approved.ContainsKey(id)).ToList(), approved);
        await WaitUntilAsync(() => CountAsync("SELECT COUNT(*) FROM notifications WHERE status <> 'sent'"), 0);
        await app.DisposeAsync();

        Assert.Equal(Applicants, await CountAsync("SELECT COUNT(*) FROM applications"));
        Assert.Equal(Applicants - Applicants / 5, await CountAsync("SELECT COUNT(*) FROM applications WHERE status = 'final-review'"));
        Assert.Equal(Applicants / 5, await CountAsync("SELECT COUNT(*) FROM applications WHERE status = 'rejected'"));
        // Exactly once: one of each history event and one SMS per step and application.
        Assert.Equal(0, await CountAsync(
            "SELECT COUNT(*) FROM (SELECT application_id, type FROM application_events GROUP BY application_id, type HAVING COUNT(*) > 1) doubled"));
        Assert.Equal(0, await CountAsync(
            "SELECT COUNT(*) FROM (SELECT application_id, template FROM notifications GROUP BY application_id, template HAVING COUNT(*) > 1) doubled"));
        Assert.Equal(Applicants, await CountAsync("SELECT COUNT(*) FROM notifications WHERE template = 'received'"));
        Assert.Equal(Applicants / 5, await CountAsync("SELECT COUNT(*) FROM notifications WHERE template = 'verification-failed'"));
        Assert.Equal(eligible.Count, await CountAsync("SELECT COUNT(*) FROM notifications WHERE template = 'routed'"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM work_items WHERE status <> 'done'"));
    }

    private static async Task SubmitAllAsync(Uri address, IReadOnlyList<int> people, ConcurrentDictionary<int, string> accepted)
    {
        using var portal = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        portal.DefaultRequestHeaders.Add("X-Api-Key", TestApp.PortalKey);
        await Parallel.ForEachAsync(people, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (n, _) =>
        {
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
                    var reviewer = clients.GetOrAdd(office, o => TokenClientAsync(address, $"{o}-r1").GetAwaiter().GetResult());
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

    private static async Task<HttpClient> TokenClientAsync(Uri address, string username)
    {
        var client = new HttpClient { BaseAddress = address };
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { username, password = TestApp.Password });
        response.EnsureSuccessStatusCode();
        var token = (await response.JsonAsync()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var database = _store.Open();
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    private async Task WaitUntilAsync(Func<Task<long>> count, long expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        long last;
        while ((last = await count()) != expected)
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Still {last}, expected {expected}, after 60 s.");
            await Task.Delay(100);
        }
    }
}

public sealed class CrashRecoveryOnSqlite() : CrashRecoverySpec(Store.Sqlite);

public sealed class CrashRecoveryOnPostgres() : CrashRecoverySpec(Store.Postgres);
