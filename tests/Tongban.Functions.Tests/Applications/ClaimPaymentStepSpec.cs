using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.DurableTask.Client;
using Tongban.Applications;
using Tongban.Storage;
using Tongban.Tests.Infrastructure;
using Tongban.Tests.Payouts;

namespace Tongban.Tests.Applications;

/// <summary>
/// The claim's orchestration runs through its first payment. November's own run has paid everyone on 1 November 2026;
/// Wang is approved on Wednesday 4 November, after it, so November is due to him and waits for a supplementary run
/// (补发). His orchestration waits at <c>awaiting-payment</c> until the run puts November into a bank file, or until the
/// claim is stopped.
/// </summary>
public abstract class ClaimPaymentStepSpec(Store store) : IAsyncLifetime
{
    private static readonly Person Wang = new(71, "王海", "460200", "460200");
    private PayoutDriver _d = null!;

    public async ValueTask InitializeAsync()
    {
        _d = await PayoutDriver.StartAsync(store, new DateTimeOffset(2026, 11, 1, 9, 0, 0, PayoutDriver.China));
        await _d.ScheduledRunAsync("2026-11");
        await _d.ImportAsync(Wang.Spell());
        await _d.TodayAsync(2026, 11, 4);
    }

    public async ValueTask DisposeAsync() => await _d.DisposeAsync();

    private DurableTaskClient Durable => _d.App.Services.GetRequiredService<DurableTaskClient>();

    private async Task<JsonElement> WorkflowAsync(string id, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var workflow = (await _d.App.Portal.GetJsonAsync($"/api/v1/applications/{id}")).GetProperty("workflow");
            if (done(workflow)) return workflow;
            if (DateTime.UtcNow > deadline) Assert.Fail($"Workflow of {id} is {workflow}.");
            await Task.Delay(50);
        }
    }

    private static string? Step(JsonElement workflow) =>
        workflow.GetProperty("customStatus") is { ValueKind: JsonValueKind.Object } custom ? custom.GetProperty("step").GetString() : null;

    private static bool Completed(JsonElement workflow) => workflow.GetProperty("runtimeStatus").GetString() == "Completed";

    private Task<HttpResponseMessage> SupplementaryRunAsync() => _d.Admin.PostJsonAsync("/api/v1/admin/payout-runs", new { period = "2026-11" });

    [Fact]
    public async Task An_approved_claim_waits_for_its_first_payment_and_completes_when_a_supplementary_run_puts_it_in_a_bank_file()
    {
        var wang = await _d.ApproveAsync(Wang);

        var waiting = await WorkflowAsync(wang, w => Step(w) == ClaimOrchestrator.AwaitingPayment);
        Assert.Equal("Running", waiting.GetProperty("runtimeStatus").GetString());
        await Task.Delay(500);
        Assert.Equal("Running", (await WorkflowAsync(wang, _ => true)).GetProperty("runtimeStatus").GetString());

        var response = await SupplementaryRunAsync();
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.JsonAsync();
        Assert.Equal("supplementary", accepted.GetProperty("kind").GetString());
        var run = await _d.WaitForRunAsync(accepted.GetProperty("runId").GetString()!);

        var done = await WorkflowAsync(wang, Completed);
        Assert.Equal(ClaimOrchestrator.FirstPaymentIssued, Step(done));
        var november = Assert.Single(await _d.PaymentsAsync(wang));
        Assert.Equal("sent", november.GetProperty("status").GetString());
        Assert.Contains((await _d.BankFileAsync(run.GetProperty("runId").GetString()!, "460200")).Skip(1),
            line => line[0] == november.GetProperty("paymentId").GetString());
        Assert.DoesNotContain(await _d.App.Services.GetRequiredService<WorkflowReconciler>().MissingAsync(Durable, CancellationToken.None),
            m => m.Id == wang);
    }

    [Fact]
    public async Task A_claim_stopped_before_its_first_payment_ends_its_orchestration_and_a_later_bank_file_does_not_start_another()
    {
        var wang = await _d.ApproveAsync(Wang);
        await WorkflowAsync(wang, w => Step(w) == ClaimOrchestrator.AwaitingPayment);

        using (var office = await _d.App.StaffAsync("460200-01-r1"))
            Assert.Equal(HttpStatusCode.OK,
                (await office.PostJsonAsync($"/api/v1/applications/{wang}/events", new { type = "reemployed", date = "2026-11-04" })).StatusCode);

        var ended = await WorkflowAsync(wang, Completed);
        Assert.Equal("terminated", Step(ended));
        var instance = await Durable.GetInstanceAsync(wang, getInputsAndOutputs: false, TestContext.Current.CancellationToken);
        // Hainan pays the month of the stop: November still goes into the supplementary run's bank file, and the claim's
        // orchestration, ended, is left alone.
        var response = await SupplementaryRunAsync();
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await _d.WaitForRunAsync((await response.JsonAsync()).GetProperty("runId").GetString()!);
        Assert.Equal("sent", Assert.Single(await _d.PaymentsAsync(wang)).GetProperty("status").GetString());
        var after = await Durable.GetInstanceAsync(wang, getInputsAndOutputs: false, TestContext.Current.CancellationToken);
        Assert.Equal((instance!.CreatedAt, OrchestrationRuntimeStatus.Completed), (after!.CreatedAt, after.RuntimeStatus));
        await using var c = await _d.App.Services.GetRequiredService<Database>().OpenAsync(TestContext.Current.CancellationToken);
        Assert.NotNull(await c.ExecuteScalarAsync<long?>("SELECT first_issued_at FROM applications WHERE id = @wang", new { wang }));
    }

    [Fact]
    public async Task An_approved_claim_whose_orchestration_was_lost_before_its_first_payment_gets_a_new_one_from_the_reconciler()
    {
        var wang = await _d.ApproveAsync(Wang);
        await WorkflowAsync(wang, w => Step(w) == ClaimOrchestrator.AwaitingPayment);
        await Durable.TerminateInstanceAsync(wang, cancellation: TestContext.Current.CancellationToken);
        await Durable.WaitForInstanceCompletionAsync(wang, TestContext.Current.CancellationToken);
        await Durable.PurgeInstanceAsync(wang, cancellation: TestContext.Current.CancellationToken);
        var reconciler = _d.App.Services.GetRequiredService<WorkflowReconciler>();
        Assert.Contains(await reconciler.MissingAsync(Durable, CancellationToken.None), m => m.Id == wang);

        await reconciler.ReconcileAsync(Durable, CancellationToken.None);

        await WorkflowAsync(wang, w => Step(w) == ClaimOrchestrator.AwaitingPayment && !Completed(w));
        await _d.WaitForRunAsync((await (await SupplementaryRunAsync()).JsonAsync()).GetProperty("runId").GetString()!);
        Assert.Equal(ClaimOrchestrator.FirstPaymentIssued, Step(await WorkflowAsync(wang, Completed)));
    }
}

public sealed class ClaimPaymentStepOnSqlite() : ClaimPaymentStepSpec(Store.Sqlite);

public sealed class ClaimPaymentStepOnPostgres() : ClaimPaymentStepSpec(Store.Postgres);
