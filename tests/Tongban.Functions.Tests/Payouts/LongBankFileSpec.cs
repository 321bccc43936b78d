using System.Collections.Concurrent;
using System.Net;
using Dapper;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Tongban.Archive;
using Tongban.Payouts;
using Tongban.Tests.Infrastructure;

namespace Tongban.Tests.Payouts;

/// <summary>
/// Two instances on one store, each with its own in-memory task hub, run the same month's orchestration, and the bank
/// files' uploads are slow: each writer waits at the upload until the other instance's writer of the same file has
/// arrived, so every city's file is written by both at once — what the run's lease used to keep from happening. It is
/// harmless now: the archive stores each file once, the two writers offered the same bytes, and each city's issue is
/// posted to the ledger once.
/// </summary>
public abstract class LongBankFileSpec(Store store) : IAsyncLifetime
{
    /// <summary>How long a writer waits at the upload for the other; the test fails on a file written only once.</summary>
    private static readonly TimeSpan Rendezvous = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<string, Upload> _uploads = new();
    private PayoutDriver _d = null!;
    private TestApp _second = null!;

    /// <summary>The writers of one bank file, across both instances: what each offered and whether the archive took it.</summary>
    private sealed class Upload
    {
        private readonly TaskCompletionSource _both = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _arrived;

        public ConcurrentQueue<(byte[] Content, bool Stored)> Attempts { get; } = new();

        /// <summary>Completes when the second writer has arrived (or at once for any later one).</summary>
        public Task ArriveAsync()
        {
            if (Interlocked.Increment(ref _arrived) >= 2) _both.TrySetResult();
            return _both.Task;
        }
    }

    /// <summary>An archive whose bank-file uploads wait for the other instance's writer of the same file.</summary>
    private sealed class SlowArchive(IArchive inner, ConcurrentDictionary<string, Upload> uploads) : IArchive
    {
        public async Task PutAsync(string path, Stream content, string contentType, CancellationToken ct)
        {
            if (!path.StartsWith("payouts/", StringComparison.Ordinal))
            {
                await inner.PutAsync(path, content, contentType, ct);
                return;
            }
            using var buffer = new MemoryStream();
            await content.CopyToAsync(buffer, ct);
            var upload = uploads.GetOrAdd(path, _ => new Upload());
            try
            {
                await upload.ArriveAsync().WaitAsync(Rendezvous, ct);
            }
            catch (TimeoutException)
            {
                // The other instance never wrote this file: the attempts counted below say so.
            }
            try
            {
                await inner.PutAsync(path, new MemoryStream(buffer.ToArray()), contentType, ct);
                upload.Attempts.Enqueue((buffer.ToArray(), true));
            }
            catch (ArchiveConflictException)
            {
                upload.Attempts.Enqueue((buffer.ToArray(), false));
                throw;
            }
        }

        public Task<Stream?> OpenReadAsync(string path, CancellationToken ct) => inner.OpenReadAsync(path, ct);
    }

    private Action<WebApplicationBuilder> Configure(ManualClock clock) => builder =>
    {
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddSingleton<IArchive>(sp => new SlowArchive(
            ArchiveRegistration.Create(sp.GetRequiredService<IConfiguration>(), builder.Environment.ContentRootPath), _uploads));
    };

    public async ValueTask InitializeAsync()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 10, 20, 9, 0, 0, PayoutDriver.China));
        var app = await TestApp.StartAsync(store, Configure(clock));
        _d = new PayoutDriver(app, clock, await app.StaffAsync("admin"));
        await _d.ScheduledRunAsync("2026-10");
        _second = await TestApp.StartOnAsync(app.Store, Configure(clock));
    }

    public async ValueTask DisposeAsync()
    {
        await _second.DisposeAsync();
        await _d.DisposeAsync();
    }

    [Fact]
    public async Task Both_instances_write_each_bank_file_and_the_archive_keeps_one_with_the_same_content()
    {
        var people = EntitlementSeed.Cities.Select((city, i) => new Person(41 + i, "赵" + "一二三四五"[i], city, city)).ToList();
        await _d.ImportAsync([.. people.Select(p => p.Spell())]);
        foreach (var person in people) await _d.ApproveAsync(person);
        await _d.TodayAsync(2026, 11, 1);

        using var secondAdmin = await _second.StaffAsync("admin");
        var started = await Task.WhenAll(new[] { _d.Admin, secondAdmin }.Select(admin => admin.PostJsonAsync("/api/v1/admin/payout-runs", new { period = "2026-11" })));
        Assert.All(started, r => Assert.True(r.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK));
        var run = await _d.WaitForRunAsync((await started[0].JsonAsync()).GetProperty("runId").GetString()!);

        Assert.Equal(EntitlementSeed.Cities.Length, run.GetProperty("files").GetArrayLength());
        await using var database = _d.App.Store.Open();
        await using var c = await database.OpenAsync();
        foreach (var city in EntitlementSeed.Cities)
        {
            var path = PaymentFiles.ArchivePath(new RunRow { Id = run.GetProperty("runId").GetString()!, Period = "2026-11" }, city);
            var attempts = _uploads[path].Attempts.ToList();
            Assert.Equal(2, attempts.Count);
            Assert.Single(attempts, a => a.Stored);
            Assert.Equal(attempts[0].Content, attempts[1].Content);
            Assert.Equal(attempts[0].Content, await File.ReadAllBytesAsync(Path.Combine(_d.App.Store.Folder, "archive", path)));
            // November, and October as back pay unless the second instance's start-up supplementary run paid it first:
            // the header and a line for each of the run's payments in the city.
            var file = await _d.BankFileAsync(run.GetProperty("runId").GetString()!, city);
            Assert.Contains(file, line => line[^1].StartsWith("2026年11月", StringComparison.Ordinal));
            Assert.Equal(1 + await c.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM payments WHERE run_id = @runId AND city_code = @city AND status <> 'cancelled'",
                new { runId = run.GetProperty("runId").GetString(), city }), file.Count);
        }
        Assert.Equal(EntitlementSeed.Cities.Length, await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM ledger_transactions WHERE kind = 'issue' AND run_id = @runId", new { runId = run.GetProperty("runId").GetString() }));
        foreach (var app in new[] { _d.App, _second })
        {
            var instance = await app.Services.GetRequiredService<DurableTaskClient>().WaitForInstanceCompletionAsync(
                PayoutRunWorkflows.InstanceId("2026-11", RunKind.Monthly, 0), TestContext.Current.CancellationToken);
            Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        }
    }
}

public sealed class LongBankFileOnSqlite() : LongBankFileSpec(Store.Sqlite);

public sealed class LongBankFileOnPostgres() : LongBankFileSpec(Store.Postgres);
