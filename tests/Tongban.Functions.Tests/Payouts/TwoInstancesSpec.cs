using System.Net;
using System.Net.Http.Json;
using Dapper;
using Microsoft.DurableTask.Client;
using Tongban.Domain;
using Tongban.Domain.Claims;
using Tongban.Payouts;
using Tongban.Storage;
using Tongban.Tests.Infrastructure;

namespace Tongban.Tests.Payouts;

/// <summary>
/// Two instances on one PostgreSQL database start the same months at the same moment: both timers fire, both
/// administrators ask, and each instance's own task hub runs the months' orchestrations, step against step. There is
/// one run per month and every entitlement is paid once.
/// </summary>
public sealed class TwoInstancesOnPostgres : IAsyncLifetime
{
    private const int Entitlements = 2000;
    private TestStore _store = null!;
    private readonly List<TestApp> _apps = [];

    public async ValueTask InitializeAsync() => _store = await TestStore.CreateAsync(Store.Postgres);

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps) await app.DisposeAsync();
        await _store.DisposeAsync();
    }

    [Fact]
    public async Task Two_instances_starting_the_same_month_produce_one_run_and_pay_each_entitlement_once()
    {
        var thisMonth = YearMonth.Of(Deadlines.LocalDate(DateTimeOffset.UtcNow));
        await EntitlementSeed.InsertAsync(_store, Entitlements, thisMonth.AddMonths(-1), 12);
        // Small chunks: each run takes a hundred steps, so the two orchestrations of a run overlap for most of them.
        string[] settings = ["--Payouts:ChunkSize=20"];
        _apps.Add(await TestApp.StartOnAsync(_store, null, settings));
        _apps.Add(await TestApp.StartOnAsync(_store, null, settings));

        var requests = await Task.WhenAll(_apps.Select(async app =>
        {
            using var admin = await app.StaffAsync("admin");
            var response = await admin.PostAsJsonAsync("/api/v1/admin/payout-runs", new { period = thisMonth.ToString() });
            Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK);
            return (await response.JsonAsync()).GetProperty("runId").GetString();
        }));
        Assert.Equal(requests[0], requests[1]);

        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (await CountAsync("SELECT COUNT(*) FROM payout_runs WHERE status = 'completed'") < 2)
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("The runs of this month and the last did not complete in 120 s.");
            await Task.Delay(100);
        }

        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM payout_runs"));
        Assert.Equal(2 * Entitlements, await CountAsync("SELECT COUNT(*) FROM payments"));
        Assert.Equal(0, await CountAsync(
            "SELECT COUNT(*) FROM (SELECT application_id, period FROM payments GROUP BY application_id, period HAVING COUNT(*) > 1) doubled"));
        Assert.Equal(2 * EntitlementSeed.Cities.Length, await CountAsync("SELECT COUNT(*) FROM ledger_transactions WHERE kind = 'issue'"));
        Assert.Equal(await CountAsync("SELECT SUM(amount_fen) FROM payments"),
            await CountAsync("SELECT SUM(credit_fen) FROM ledger_entries WHERE account = 'payable-to-bank'"));
        Assert.Equal(2 * EntitlementSeed.Cities.Length, await CountAsync("SELECT COUNT(*) FROM payout_files WHERE archived"));
        // Both instances ran this month's run: the database, not a lease, kept the second from paying anything twice.
        foreach (var app in _apps)
        {
            var instance = await app.Services.GetRequiredService<DurableTaskClient>().WaitForInstanceCompletionAsync(
                PayoutRunWorkflows.InstanceId(thisMonth.ToString(), RunKind.Monthly, 0), TestContext.Current.CancellationToken);
            Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        }
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var database = new Database(DatabaseProvider.Postgres, _store.ConnectionString);
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long?>(sql) ?? 0;
    }
}
