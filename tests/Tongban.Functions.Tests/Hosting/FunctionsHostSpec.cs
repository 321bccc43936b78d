using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Tongban.Archive;
using Tongban.CrossChecks;
using Tongban.Scheduling;
using Tongban.Storage;
using Tongban.Tests.Infrastructure;
using Tongban.Work;

namespace Tongban.Tests.Hosting;

/// <summary>
/// The custom-handler contract: the Functions host POSTs a timer invocation to /{FunctionName} and reads
/// Outputs/Logs/ReturnValue back, or a non-2xx status for a failed run; HTTP requests are forwarded as they are.
/// </summary>
public sealed class FunctionsHostSpec : IAsyncLifetime
{
    // The invocation body the host sends for a timer trigger (custom handler docs: Data per binding, Metadata).
    private const string TimerInvocation = """
        {"Data":{"timer":{"Schedule":{"AdjustForDST":true},"ScheduleStatus":null,"IsPastDue":false}},
         "Metadata":{"sys":{"MethodName":"WorkPump","UtcNow":"2026-11-22T01:00:00.0000000Z","RandGuid":"5d7a3c52-8d09-4b1e-9d28-5c3b5a1f0e11"}}}
        """;

    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync(Store.Sqlite, builder =>
    {
        builder.Services.AddSingleton<TimeProvider>(_clock);
        builder.Services.AddSingleton(new Schedule("AlwaysFails", "always-fails", _ => ["2026-11"]));
        builder.Services.AddSingleton<IWorkHandler, AlwaysFails>();
    }, $"--FUNCTIONS_CUSTOMHANDLER_PORT={AppProcess.FreePort()}");

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Under_the_host_work_waits_for_the_WorkPump_timer_and_http_requests_are_forwarded_as_they_are()
    {
        await _app.ImportAsync(People.Csv(People.EligibleInSanya(1)));
        var submitted = await _app.Portal.SubmitAsync(People.Application(People.IdNumber(1)));
        var id = (await submitted.JsonAsync()).GetProperty("applicationId").GetString()!;
        await Task.Delay(300);
        Assert.Equal("verifying", (await _app.Portal.GetJsonAsync($"/api/v1/applications/{id}")).GetProperty("status").GetString());

        var response = await InvokeAsync("WorkPump", TimerInvocation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.JsonAsync();
        Assert.Equal(JsonValueKind.Object, result.GetProperty("Outputs").ValueKind);
        Assert.Equal(JsonValueKind.Null, result.GetProperty("ReturnValue").ValueKind);
        Assert.Contains("work item", result.GetProperty("Logs")[0].GetString());
        Assert.Equal("first-review", (await _app.Portal.GetJsonAsync($"/api/v1/applications/{id}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_failing_job_answers_the_invocation_with_a_5xx_and_its_error_in_the_logs()
    {
        var response = await InvokeAsync("AlwaysFails", TimerInvocation);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var logs = (await response.JsonAsync()).GetProperty("Logs").EnumerateArray().Select(l => l.GetString()).ToList();
        Assert.Contains(logs, l => l!.Contains("schedule:AlwaysFails:2026-11") && l.Contains("the bank is closed"));
    }

    [Fact]
    public async Task A_body_that_is_not_an_invocation_is_a_400_and_runs_nothing()
    {
        var response = await InvokeAsync("AlwaysFails", "not json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await using var connection = await _app.Services.GetRequiredService<Database>().OpenAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM work_items WHERE kind = 'always-fails'"));
    }

    [Fact]
    public async Task The_SLA_sweep_marks_each_overdue_case_once_per_stage()
    {
        await _app.ImportAsync(People.Csv(People.EligibleInSanya(2)));
        var id = (await (await _app.Portal.SubmitAsync(People.Application(People.IdNumber(2)))).JsonAsync()).GetProperty("applicationId").GetString()!;
        await InvokeAsync("WorkPump", TimerInvocation);

        _clock.Advance(TimeSpan.FromDays(10));
        Assert.Equal(HttpStatusCode.OK, (await InvokeAsync("SlaSweep", TimerInvocation)).StatusCode);
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(HttpStatusCode.OK, (await InvokeAsync("SlaSweep", TimerInvocation)).StatusCode);

        var history = (await _app.Portal.GetJsonAsync($"/api/v1/applications/{id}")).GetProperty("history").EnumerateArray()
            .Select(h => h.GetProperty("type").GetString()).ToList();
        Assert.Single(history, t => t == "deadline-missed");
        using var reviewer = await _app.StaffAsync("460100-01-r1");
        var queue = await reviewer.GetJsonAsync("/api/v1/review-queue?stage=first-review");
        Assert.True(queue.EnumerateArray().Single(e => e.GetProperty("applicationId").GetString() == id).GetProperty("overdue").GetBoolean());
    }

    [Fact]
    public async Task The_cross_province_export_archives_active_recipients_once_and_audits_each_reveal()
    {
        await _app.ImportAsync(People.Csv(People.EligibleInSanya(3, "郑十")));
        var id = (await (await _app.Portal.SubmitAsync(People.Application(People.IdNumber(3), "郑十"))).JsonAsync()).GetProperty("applicationId").GetString()!;
        await InvokeAsync("WorkPump", TimerInvocation);
        using (var haikou = await _app.StaffAsync("460100-01-r1"))
            (await haikou.PostAsJsonAsync($"/api/v1/applications/{id}/first-review", new { decision = "approve" })).EnsureSuccessStatusCode();
        using (var sanya = await _app.StaffAsync("460200-01-r1"))
            (await sanya.PostAsJsonAsync($"/api/v1/applications/{id}/final-review", new { decision = "approve" })).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.OK, (await InvokeAsync("CrossProvinceExport", TimerInvocation)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await InvokeAsync("CrossProvinceExport", TimerInvocation)).StatusCode);

        var period = _clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM");
        var archive = _app.Services.GetRequiredService<IArchive>();
        var file = await archive.OpenReadAsync(RecipientExport.ArchivePath(period), CancellationToken.None);
        if (_clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).Day >= 2)
        {
            Assert.NotNull(file);
            var lines = (await new StreamReader(file!, Encoding.UTF8).ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("idNumber,name,insuringCity,startMonth,endMonth", lines[0].Trim());
            Assert.StartsWith($"{People.IdNumber(3)},郑十,460200,{period},", lines[1]);
        }

        using var admin = await _app.StaffAsync("admin");
        var csv = await admin.GetStringAsync($"/api/v1/admin/cross-checks/export?period={period}");
        Assert.Contains(People.IdNumber(3), csv);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/v1/admin/cross-checks/export?period=2026-13")).StatusCode);
        await using var connection = await _app.Services.GetRequiredService<Database>().OpenAsync();
        Assert.True(await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM personal_data_reveals WHERE application_id = @id AND actor = 'admin'", new { id }) == 1);
    }

    private Task<HttpResponseMessage> InvokeAsync(string function, string body) =>
        _app.Anonymous.PostAsync("/" + function, new StringContent(body, Encoding.UTF8, "application/json"));

    private sealed class AlwaysFails : IWorkHandler
    {
        public string Kind => "always-fails";
        public Task HandleAsync(WorkItem item, CancellationToken ct) => throw new InvalidOperationException("the bank is closed");
    }
}

/// <summary>Standalone, the timer routes do not exist: nobody outside the host can start a run by POSTing.</summary>
public sealed class StandaloneHostSpec : IAsyncLifetime
{
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync(Store.Sqlite);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Timer_routes_are_not_served_outside_the_Functions_host()
    {
        var response = await _app.Anonymous.PostAsync("/WorkPump", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
