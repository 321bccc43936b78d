using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.DurableTask.Client;
using Tongban.Applications;
using Tongban.Archive;
using Tongban.Storage;
using Tongban.Tests.Infrastructure;

namespace Tongban.Tests.Applications;

/// <summary>
/// Claims' orchestrations run for real on the app's in-process Durable Task worker. The reconciler's timer is off:
/// the tests run the reconciler themselves, and a round between a lost orchestration and its listing would hide it.
/// </summary>
public sealed class ClaimWorkflowSpec : IAsyncLifetime
{
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() =>
        _app = await TestApp.StartAsync(Store.Sqlite, "--AzureWebJobs.ReconcileWorkflows.Disabled=true");

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private DurableTaskClient Durable => _app.Services.GetRequiredService<DurableTaskClient>();

    private async Task<string> SubmitAsync(int person, string name = "王小明")
    {
        var response = await _app.Portal.SubmitAsync(People.Application(People.IdNumber(person), name), key: $"workflow-{person}-{Guid.NewGuid():N}");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("applicationId").GetString()!;
    }

    private async Task<JsonElement> WaitForWorkflowAsync(string id, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var application = await _app.Portal.GetJsonAsync($"/api/v1/applications/{id}");
            if (done(application.GetProperty("workflow"))) return application;
            if (DateTime.UtcNow > deadline) Assert.Fail($"Workflow of {id} is {application.GetProperty("workflow")}.");
            await Task.Delay(50);
        }
    }

    private static bool Step(JsonElement workflow, string step) =>
        workflow.GetProperty("customStatus") is { ValueKind: JsonValueKind.Object } custom && custom.GetProperty("step").GetString() == step;

    [Fact]
    public async Task The_claims_workflow_is_shown_with_its_step_and_waits_for_the_first_payment_once_approved()
    {
        await _app.ImportAsync(People.Csv(People.EligibleInSanya(51)));
        var id = await SubmitAsync(51);
        var waiting = await WaitForWorkflowAsync(id, w => Step(w, "first-review"));
        Assert.Equal(id, waiting.GetProperty("workflow").GetProperty("instanceId").GetString());
        Assert.Equal("Running", waiting.GetProperty("workflow").GetProperty("runtimeStatus").GetString());

        using (var haikou = await _app.StaffAsync("460100-01-r1"))
            Assert.Equal(HttpStatusCode.OK, (await haikou.PostAsJsonAsync($"/api/v1/applications/{id}/first-review", new { decision = "approve" })).StatusCode);
        await WaitForWorkflowAsync(id, w => Step(w, "final-review"));
        using (var sanya = await _app.StaffAsync("460200-01-r1"))
            Assert.Equal(HttpStatusCode.OK, (await sanya.PostAsJsonAsync($"/api/v1/applications/{id}/final-review", new { decision = "approve" })).StatusCode);

        // Paid by the next run that issues a bank file (ClaimPaymentStepSpec): until then the orchestration waits.
        var approved = await WaitForWorkflowAsync(id, w => Step(w, ClaimOrchestrator.AwaitingPayment));
        Assert.Equal("Running", approved.GetProperty("workflow").GetProperty("runtimeStatus").GetString());
        Assert.Equal("approved", approved.GetProperty("status").GetString());
        using var admin = await _app.StaffAsync("admin");
        var sms = await admin.GetJsonAsync($"/api/v1/admin/notifications?applicationId={id}");
        Assert.Equal(["received", "first-review-passed", "routed", "approved"], sms.EnumerateArray().Select(m => m.GetProperty("template").GetString()));
        Assert.All(sms.EnumerateArray(), m => Assert.Equal("sent", m.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task A_decision_signalled_to_an_orchestration_that_has_just_started_is_not_lost()
    {
        await _app.ImportAsync(People.Csv(People.EligibleInSanya(52)));
        var id = await SubmitAsync(52);
        await WaitForWorkflowAsync(id, w => Step(w, "first-review"));
        // The task hub loses the orchestration; a new one is started and the reviewer decides while it is still verifying.
        await Durable.TerminateInstanceAsync(id);
        await Durable.WaitForInstanceCompletionAsync(id);
        await Durable.PurgeInstanceAsync(id);
        await ClaimWorkflows.StartAsync(Durable, new ClaimInput(id), CancellationToken.None);
        using (var haikou = await _app.StaffAsync("460100-01-r1"))
            Assert.Equal(HttpStatusCode.OK, (await haikou.PostAsJsonAsync($"/api/v1/applications/{id}/first-review", new { decision = "approve" })).StatusCode);

        await WaitForWorkflowAsync(id, w => Step(w, "final-review"));
        using var admin = await _app.StaffAsync("admin");
        var templates = (await admin.GetJsonAsync($"/api/v1/admin/notifications?applicationId={id}")).EnumerateArray()
            .Select(m => (Template: m.GetProperty("template").GetString(), Status: m.GetProperty("status").GetString())).ToList();
        Assert.Contains(("routed", "sent"), templates);
    }

    [Fact]
    public async Task Activities_run_twice_at_once_verify_once_and_send_each_sms_once()
    {
        await _app.ImportAsync(People.Csv(People.EligibleInSanya(53)));
        var id = await SubmitAsync(53);
        var activities = ActivatorUtilities.CreateInstance<ClaimFunctions>(_app.Services);

        await Task.WhenAll(activities.VerifyClaim(id), activities.VerifyClaim(id), activities.LoadClaim(id), activities.LoadClaim(id));
        await WaitForWorkflowAsync(id, w => Step(w, "first-review"));
        await Task.WhenAll(activities.LoadClaim(id), activities.VerifyClaim(id), activities.ArchiveCase(id));

        var history = (await _app.Portal.GetJsonAsync($"/api/v1/applications/{id}")).GetProperty("history").EnumerateArray()
            .Select(h => h.GetProperty("type").GetString()).ToList();
        Assert.Single(history, t => t == "verified");
        var sink = await File.ReadAllLinesAsync(Path.Combine(_app.Store.Folder, "sms-outbox.jsonl"));
        var keys = sink.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("key").GetString()).Where(k => k!.StartsWith(id)).ToList();
        Assert.Single(keys);
        Assert.Null(await _app.Services.GetRequiredService<IArchive>().OpenReadAsync(CaseArchive.ArchivePath(
            (await _app.Portal.GetJsonAsync($"/api/v1/applications/{id}")).GetProperty("caseNumber").GetString()!), CancellationToken.None));
    }

    [Fact]
    public async Task A_person_whose_claim_ended_claims_again_and_both_claims_keep_their_own_history_and_workflow()
    {
        await _app.ImportAsync(People.Csv(People.EligibleInSanya(54)));
        var first = await SubmitAsync(54);
        await WaitForWorkflowAsync(first, w => Step(w, "first-review"));
        using (var haikou = await _app.StaffAsync("460100-01-r1"))
            (await haikou.PostAsJsonAsync($"/api/v1/applications/{first}/first-review", new { decision = "approve" })).EnsureSuccessStatusCode();
        using (var sanya = await _app.StaffAsync("460200-01-r1"))
        {
            await WaitForWorkflowAsync(first, w => Step(w, "final-review"));
            (await sanya.PostAsJsonAsync($"/api/v1/applications/{first}/final-review", new { decision = "approve" })).EnsureSuccessStatusCode();
            var today = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd");
            (await sanya.PostAsJsonAsync($"/api/v1/applications/{first}/events", new { type = "reemployed", date = today })).EnsureSuccessStatusCode();
        }
        // The stop is signalled to the orchestration; should the signal reach one that has already read the claim for
        // the last time, the reconciler's next round gives the closed case a new one.
        await Durable.WaitForInstanceCompletionAsync(first);
        await ActivatorUtilities.CreateInstance<WorkflowFunctions>(_app.Services).ReconcileWorkflows(new(), Durable, CancellationToken.None);
        var ended = await WaitForWorkflowAsync(first, w => Step(w, "terminated"));

        // The new job ended too (verification refuses a person back in work until the registry shows that).
        var thisMonth = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM");
        await _app.ImportAsync(People.Csv(People.EligibleInSanya(54),
            People.Spell(People.IdNumber(54), "王小明", "460200", 154, thisMonth, thisMonth, "employer-closed")));
        var second = await SubmitAsync(54);
        var again = await WaitForWorkflowAsync(second, w => Step(w, "first-review"));

        Assert.NotEqual(first, second);
        Assert.Equal("terminated", ended.GetProperty("status").GetString());
        Assert.Contains(ended.GetProperty("history").EnumerateArray(), h => h.GetProperty("type").GetString() == "stopped");
        Assert.Equal(second, again.GetProperty("workflow").GetProperty("instanceId").GetString());
        Assert.DoesNotContain(again.GetProperty("history").EnumerateArray(), h => h.GetProperty("type").GetString() == "stopped");
        Assert.Equal(first, (await _app.Portal.GetJsonAsync($"/api/v1/applications/{first}")).GetProperty("workflow").GetProperty("instanceId").GetString());
        // The closed claim's orchestration archived it.
        var archived = await _app.Services.GetRequiredService<IArchive>().OpenReadAsync(
            CaseArchive.ArchivePath(ended.GetProperty("caseNumber").GetString()!), CancellationToken.None);
        Assert.NotNull(archived);
        await archived!.DisposeAsync();
    }

    [Fact]
    public async Task A_claim_whose_orchestration_was_lost_is_listed_as_stuck_until_the_reconciler_or_an_administrator_restarts_it()
    {
        await _app.ImportAsync(People.Csv(People.EligibleInSanya(55), People.EligibleInSanya(56)));
        var lost = await SubmitAsync(55);
        var other = await SubmitAsync(56);
        await WaitForWorkflowAsync(lost, w => Step(w, "first-review"));
        await WaitForWorkflowAsync(other, w => Step(w, "first-review"));
        foreach (var id in new[] { lost, other })
        {
            await Durable.TerminateInstanceAsync(id);
            await Durable.WaitForInstanceCompletionAsync(id);
            await Durable.PurgeInstanceAsync(id);
        }
        using var admin = await _app.StaffAsync("admin");
        var stuck = (await admin.GetJsonAsync("/api/v1/admin/workflows")).EnumerateArray()
            .Where(p => p.GetProperty("kind").GetString() == "stuck").Select(p => p.GetProperty("instanceId").GetString()).ToList();
        Assert.Contains(lost, stuck);
        Assert.Contains(other, stuck);

        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync($"/api/v1/admin/workflows/{lost}/restart", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"/api/v1/admin/workflows/{Guid.NewGuid()}/restart", null)).StatusCode);
        await ActivatorUtilities.CreateInstance<WorkflowFunctions>(_app.Services).ReconcileWorkflows(new(), Durable, CancellationToken.None);

        await WaitForWorkflowAsync(lost, w => Step(w, "first-review"));
        await WaitForWorkflowAsync(other, w => Step(w, "first-review"));
        Assert.DoesNotContain((await admin.GetJsonAsync("/api/v1/admin/workflows")).EnumerateArray(),
            p => p.GetProperty("instanceId").GetString() is { } i && (i == lost || i == other));
        using var reviewer = await _app.StaffAsync("460100-01-r1");
        Assert.Equal(HttpStatusCode.Forbidden, (await reviewer.GetAsync("/api/v1/admin/workflows")).StatusCode);
    }
}

/// <summary>
/// Review deadlines are durable timers: a claim received ten days ago (the app's clock set back) is past both its
/// reminder and its deadline as soon as it waits, so the timers fire at once.
/// </summary>
public sealed class ReviewDeadlineSpec : IAsyncLifetime
{
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow.AddDays(-10));
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync(Store.Sqlite, TestApp.WithClock(_clock));

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_office_is_reminded_and_the_case_flagged_overdue_once_per_stage_and_one_decision_moves_it_on()
    {
        await _app.ImportAsync(People.Csv(People.EligibleInSanya(61)));
        var id = (await (await _app.Portal.SubmitAsync(People.Application(People.IdNumber(61)))).JsonAsync()).GetProperty("applicationId").GetString()!;
        await WaitForEventsAsync(id, "deadline-missed", 1);
        _clock.Set(DateTimeOffset.UtcNow);

        using var reviewer = await _app.StaffAsync("460100-01-r1");
        var queue = await reviewer.GetJsonAsync("/api/v1/review-queue?stage=first-review");
        Assert.True(queue.EnumerateArray().Single(e => e.GetProperty("applicationId").GetString() == id).GetProperty("overdue").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await reviewer.PostAsJsonAsync($"/api/v1/applications/{id}/first-review", new { decision = "approve" })).StatusCode);
        await WaitForEventsAsync(id, "deadline-missed", 2);

        var history = await HistoryAsync(id);
        Assert.Equal(2, history.Count(e => e.Type == "deadline-reminder"));
        Assert.Equal(["{\"stage\":\"first-review\"}", "{\"stage\":\"final-review\"}"],
            history.Where(e => e.Type == "deadline-missed").Select(e => e.Data));
        Assert.Single(history, e => e.Type == "first-review-approved");
        Assert.Equal("460100-01", history.First(e => e.Type == "deadline-reminder").Office);
    }

    private async Task<List<(string Type, string? Office, string? Data)>> HistoryAsync(string id)
    {
        await using var connection = await _app.Services.GetRequiredService<Database>().OpenAsync();
        return (await connection.QueryAsync<(string, string?, string?)>(
            "SELECT type, office, data_json FROM application_events WHERE application_id = @id ORDER BY seq", new { id })).ToList();
    }

    private async Task WaitForEventsAsync(string id, string type, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await HistoryAsync(id)).Count(e => e.Type == type) < count)
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"No {count} × {type} in 30 s: {string.Join(", ", (await HistoryAsync(id)).Select(e => e.Type))}");
            await Task.Delay(50);
        }
    }
}
