using System.Net;
using System.Text.Json;
using Microsoft.DurableTask.Client;
using Tongban.Domain;
using Tongban.Payouts;
using Tongban.Tests.Infrastructure;

namespace Tongban.Tests.Payouts;

/// <summary>
/// A run's orchestration is rebuildable from <c>payout_runs</c>: a run whose orchestration is missing (its task hub lost,
/// the in-memory backend restarted) is listed as stuck, and the reconciler or an administrator starts it again.
/// </summary>
public sealed class PayoutWorkflowSpec : IAsyncLifetime
{
    private static readonly Person Wang = new(31, "王海", "460200", "460200");
    private PayoutDriver _d = null!;
    private string _runId = "";

    public async ValueTask InitializeAsync()
    {
        _d = await PayoutDriver.StartAsync(Store.Sqlite, new DateTimeOffset(2026, 10, 20, 9, 0, 0, PayoutDriver.China));
        await _d.ScheduledRunAsync("2026-10");
        await _d.ImportAsync(Wang.Spell());
        await _d.ApproveAsync(Wang);
        await _d.TodayAsync(2026, 11, 1);
        // The run is in the database, and its orchestration was never started (or was lost with the task hub).
        _runId = (await _d.App.Services.GetRequiredService<PayoutRuns>()
            .RequestAsync(YearMonth.Parse("2026-11"), "admin", CancellationToken.None))!.RunId;
    }

    public async ValueTask DisposeAsync() => await _d.DisposeAsync();

    private DurableTaskClient Durable => _d.App.Services.GetRequiredService<DurableTaskClient>();

    [Fact]
    public async Task A_run_without_an_orchestration_is_listed_as_stuck_and_the_reconciler_starts_one_that_finishes_it()
    {
        var problems = (await _d.Admin.GetJsonAsync("/api/v1/admin/workflows")).EnumerateArray().ToList();
        var stuck = Assert.Single(problems, p => p.GetProperty("instanceId").GetString() == "payout-2026-11-monthly");
        Assert.Equal("stuck", stuck.GetProperty("kind").GetString());

        Assert.Equal(1, await _d.App.Services.GetRequiredService<PayoutRunReconciler>().ReconcileAsync(Durable, CancellationToken.None));

        var run = await _d.WaitForRunAsync(_runId);
        Assert.Equal(2, run.GetProperty("payments").GetInt64());
        Assert.Empty(await _d.App.Services.GetRequiredService<PayoutRunReconciler>().MissingAsync(Durable, CancellationToken.None));
    }

    [Fact]
    public async Task An_administrator_restarts_a_runs_orchestration_by_its_instance_id_and_sees_its_step()
    {
        var response = await _d.Admin.PostAsync("/api/v1/admin/workflows/payout-2026-11-monthly/restart", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.EndsWith($"/api/v1/admin/payout-runs/{_runId}", response.Headers.Location!.ToString());
        Assert.Equal("payout-2026-11-monthly", (await response.JsonAsync()).GetProperty("instanceId").GetString());
        await _d.WaitForRunAsync(_runId);
        var instance = await Durable.WaitForInstanceCompletionAsync("payout-2026-11-monthly", getInputsAndOutputs: true,
            TestContext.Current.CancellationToken);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        Assert.Equal("completed", JsonDocument.Parse(instance.SerializedCustomStatus!).RootElement.GetProperty("step").GetString());
    }

    [Theory]
    [InlineData("payout-2026-12-monthly")]
    [InlineData("payout-2026-11-weekly")]
    public async Task Restarting_the_orchestration_of_a_run_that_does_not_exist_is_a_404(string instanceId)
    {
        var response = await _d.Admin.PostAsync($"/api/v1/admin/workflows/{instanceId}/restart", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
