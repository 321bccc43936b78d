using Microsoft.DurableTask;
using Moq;
using Tongban.CrossChecks;

namespace Tongban.Tests.CrossChecks;

/// <summary>A match's wait for its decision with a mocked orchestration context: the deadline timer, escalation, the signal.</summary>
public sealed class CrossCheckOrchestratorSpec
{
    private const string MatchId = "0b7e3c1a-0000-4000-8000-000000000007";
    private static readonly DateTime Now = new(2026, 12, 5, 1, 0, 0, DateTimeKind.Utc);
    private static readonly DateTimeOffset DeadlineAt = new(2026, 12, 18, 23, 59, 59, TimeSpan.FromHours(8));

    private readonly Mock<TaskOrchestrationContext> _context = new();
    private readonly List<string> _activities = [];
    private readonly Queue<MatchSnapshot> _loads = new();
    private readonly Queue<TaskCompletionSource<string>> _signals = new();
    private readonly Queue<bool> _timerFires = new();
    private readonly List<DateTime> _timers = [];

    public CrossCheckOrchestratorSpec()
    {
        _context.Setup(c => c.GetInput<MatchInput>()).Returns(new MatchInput(MatchId));
        _context.SetupGet(c => c.CurrentUtcDateTime).Returns(Now);
        _context.Setup(c => c.WaitForExternalEvent<string>(CrossCheckOrchestrator.MatchChanged, It.IsAny<CancellationToken>()))
            .Returns(() => _signals.TryDequeue(out var signal) ? signal.Task : new TaskCompletionSource<string>().Task);
        _context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()))
            .Returns<DateTime, CancellationToken>((at, _) =>
            {
                _timers.Add(at);
                return _timerFires.TryDequeue(out var fires) && fires ? Task.CompletedTask : new TaskCompletionSource().Task;
            });
        Activity(nameof(CrossCheckFunctions.LoadMatch), () => _loads.Dequeue());
        Activity(nameof(CrossCheckFunctions.EscalateMatch), () =>
        {
            _afterEscalation?.SetResult("changed");
            return Match(MatchStatus.Escalated);
        });
    }

    /// <summary>A decision the supervisor signals once the match has escalated.</summary>
    private TaskCompletionSource<string>? _afterEscalation;

    private static MatchSnapshot Match(string status) => new(MatchId, "app-1", status, DeadlineAt);

    private void Activity(string name, Func<MatchSnapshot> result) =>
        _context.Setup(c => c.CallActivityAsync<MatchSnapshot>(It.Is<TaskName>(n => n.Name == name), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns(() =>
            {
                _activities.Add(name);
                return Task.FromResult(result());
            });

    private static TaskCompletionSource<string> Signalled()
    {
        var signal = new TaskCompletionSource<string>();
        signal.SetResult("changed");
        return signal;
    }

    [Fact]
    public async Task An_open_match_waits_until_its_deadline_then_escalates_and_ends_when_the_decision_is_signalled()
    {
        _loads.Enqueue(Match(MatchStatus.Open));
        _timerFires.Enqueue(true);
        _timerFires.Enqueue(false);
        _afterEscalation = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _signals.Enqueue(_afterEscalation);
        _loads.Enqueue(Match(MatchStatus.Decided));

        var outcome = await CrossCheckOrchestrator.RunAsync(_context.Object);

        Assert.Equal(MatchStatus.Decided, outcome);
        Assert.Equal([nameof(CrossCheckFunctions.LoadMatch), nameof(CrossCheckFunctions.EscalateMatch), nameof(CrossCheckFunctions.LoadMatch)], _activities);
        Assert.Equal([DeadlineAt.UtcDateTime, Now + CrossCheckOrchestrator.Recheck], _timers);
    }

    [Fact]
    public async Task A_match_decided_before_its_deadline_never_escalates()
    {
        _loads.Enqueue(Match(MatchStatus.Open));
        _signals.Enqueue(Signalled());
        _loads.Enqueue(Match(MatchStatus.Decided));

        Assert.Equal(MatchStatus.Decided, await CrossCheckOrchestrator.RunAsync(_context.Object));
        Assert.DoesNotContain(nameof(CrossCheckFunctions.EscalateMatch), _activities);
    }

    [Fact]
    public async Task A_match_found_decided_at_start_ends_without_a_timer()
    {
        _loads.Enqueue(Match(MatchStatus.Decided));

        Assert.Equal(MatchStatus.Decided, await CrossCheckOrchestrator.RunAsync(_context.Object));
        Assert.Empty(_timers);
    }
}
