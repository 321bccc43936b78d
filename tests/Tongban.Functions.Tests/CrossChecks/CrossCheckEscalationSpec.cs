using System.Net;
using System.Text.Json;
using Microsoft.DurableTask.Client;
using Tongban.CrossChecks;
using Tongban.Domain;
using Tongban.Tests.Infrastructure;
using Tongban.Tests.Payouts;

namespace Tongban.Tests.CrossChecks;

/// <summary>
/// A match's deadline end to end, kept by the durable timer of its orchestration (<c>cross-check-match-{id}</c>) in real
/// time. The app's clock is set back thirty days: a match it stores "today" is due three working days later
/// (<c>CrossChecks:DecisionWorkingDays</c>=3), which real time passed weeks ago, so the timer fires as soon as the
/// orchestration starts it — as it would once the days had gone by. A match stored with the clock at the real today is due
/// days after the test. Wang, insured in Sanya, was approved thirty days ago; the comparison file shows him insured in
/// Guangdong.
/// </summary>
public abstract class CrossCheckEscalationSpec(Store store) : IAsyncLifetime
{
    private static readonly Person Wang = new(61, "王海", "460200", "460200");
    private const string Reviewer = "460200-01-r1";
    private const string Supervisor = "460200-sup";
    private PayoutDriver _d = null!;
    private string _wang = "";
    private DateOnly _approvedOn;

    public async ValueTask InitializeAsync()
    {
        var start = DateTimeOffset.UtcNow.AddDays(-30).ToOffset(PayoutDriver.China);
        _approvedOn = DateOnly.FromDateTime(start.DateTime);
        _d = await PayoutDriver.StartAsync(store, start, "--CrossChecks:DecisionWorkingDays=3");
        await _d.ImportAsync(Wang.Spell(end: YearMonth.Of(_approvedOn).AddMonths(-1).ToString()));
        _wang = await _d.ApproveAsync(Wang);
    }

    public async ValueTask DisposeAsync() => await _d.DisposeAsync();

    private static string InsuredInGuangdongSince(DateOnly since) =>
        CrossCheckDriver.Csv(CrossCheckDriver.Line(Wang, "广东省", "insured", $"{since:yyyy-MM-dd}"));

    private DurableTaskClient Durable => _d.App.Services.GetRequiredService<DurableTaskClient>();

    [Fact]
    public async Task An_undecided_match_past_its_deadline_escalates_to_the_city_supervisor_once_and_is_decided_once()
    {
        await _d.CrossChecksAsync(InsuredInGuangdongSince(_approvedOn));

        var escalated = await SupervisorSeesAsync();
        var match = escalated.GetProperty("matchId").GetString()!;
        Assert.Equal((_wang, "escalated"), (escalated.GetProperty("applicationId").GetString(), escalated.GetProperty("status").GetString()));
        Assert.NotEqual(JsonValueKind.Null, escalated.GetProperty("escalatedAt").ValueKind);
        Assert.Empty(await _d.MatchesAsync(Reviewer));
        Assert.Single(await _d.HistoryAsync(_wang), t => t == "cross-check-escalated");

        var decided = await _d.DecideAsync(Supervisor, match, new { decision = "dismiss", opinion = "经核实系同名他人" });
        var again = await _d.DecideAsync(Reviewer, match, new { decision = "confirm", opinion = "广东社保记录属实", stopDate = $"{_approvedOn:yyyy-MM-dd}" });

        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        await again.AssertRefusedAsync(HttpStatusCode.Conflict, "already-decided");
        Assert.Equal("approved", await _d.StatusAsync(_wang));
        // The wait past the deadline ends with the decision.
        Assert.Equal(MatchStatus.Decided, await OutcomeAsync(match));
        Assert.Equal(["cross-check-suspended", "cross-check-escalated", "cross-check-dismissed"],
            (await _d.HistoryAsync(_wang)).Where(t => t.StartsWith("cross-check-", StringComparison.Ordinal)));
        Assert.Empty(await _d.MatchesAsync(Supervisor, MatchStatus.Escalated));
        var view = Assert.Single(await _d.MatchesAsync(Supervisor, MatchStatus.Decided));
        Assert.Equal(("dismiss", Supervisor), (view.GetProperty("decision").GetString(), view.GetProperty("decidedBy").GetString()));
    }

    [Fact]
    public async Task A_match_decided_before_its_deadline_never_escalates()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        await _d.TodayAsync(today.Year, today.Month, today.Day);
        await _d.CrossChecksAsync(InsuredInGuangdongSince(today));
        var match = Assert.Single(await _d.MatchesAsync(Reviewer)).GetProperty("matchId").GetString()!;
        await WaitingOnItsDeadlineAsync(match);

        var decided = await _d.DecideAsync(Reviewer, match, new { decision = "confirm", opinion = "广东社保记录属实", stopDate = $"{today:yyyy-MM-dd}" });

        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        Assert.Equal(MatchStatus.Decided, await OutcomeAsync(match));
        Assert.DoesNotContain("cross-check-escalated", await _d.HistoryAsync(_wang));
        Assert.Empty(await _d.MatchesAsync(Supervisor, MatchStatus.Escalated));
        Assert.Equal(JsonValueKind.Null, Assert.Single(await _d.MatchesAsync(Reviewer, MatchStatus.Decided)).GetProperty("escalatedAt").ValueKind);
    }

    /// <summary>The match in the supervisor's list of escalated matches, the one the console's 比对核查 page shows as 已超期.</summary>
    private async Task<JsonElement> SupervisorSeesAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var escalated = await _d.MatchesAsync(Supervisor, MatchStatus.Escalated);
            if (escalated.Count > 0) return Assert.Single(escalated);
            if (DateTime.UtcNow > deadline) Assert.Fail("The supervisor saw no escalated match in 30 s.");
            await Task.Delay(100);
        }
    }

    /// <summary>Until the match's orchestration has read it open and waits: for the decision, or its deadline's timer.</summary>
    private async Task WaitingOnItsDeadlineAsync(string match)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var instance = await Durable.GetInstanceAsync(CrossCheckWorkflows.InstanceId(match), getInputsAndOutputs: true);
            if (instance is { RuntimeStatus: OrchestrationRuntimeStatus.Running, SerializedCustomStatus: "\"open\"" }) return;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"The match's orchestration was not waiting after 30 s: {instance?.RuntimeStatus} {instance?.SerializedCustomStatus}.");
            await Task.Delay(50);
        }
    }

    /// <summary>What the match's orchestration ended with.</summary>
    private async Task<string?> OutcomeAsync(string match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var instance = await Durable.WaitForInstanceCompletionAsync(CrossCheckWorkflows.InstanceId(match), getInputsAndOutputs: true, timeout.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        return instance.ReadOutputAs<string>();
    }
}

public sealed class CrossCheckEscalationOnSqlite() : CrossCheckEscalationSpec(Store.Sqlite);

public sealed class CrossCheckEscalationOnPostgres() : CrossCheckEscalationSpec(Store.Postgres);
