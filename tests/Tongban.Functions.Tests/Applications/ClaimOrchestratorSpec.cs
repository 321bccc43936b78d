using Microsoft.DurableTask;
using Moq;
using Tongban.Applications;

namespace Tongban.Tests.Applications;

/// <summary>
/// The claim's journey with a mocked orchestration context (the Durable samples' way): which activities run, in what
/// order, and how waits, timers and signals interleave — the known Durable pitfalls among them.
/// </summary>
public sealed class ClaimOrchestratorSpec
{
    private const string Id = "5f0c1d7e-0000-4000-8000-000000000001";
    private static readonly DateTime Now = new(2026, 11, 30, 1, 0, 0, DateTimeKind.Utc);
    private static readonly DateTimeOffset RemindAt = new(2026, 12, 2, 9, 0, 0, TimeSpan.FromHours(8));
    private static readonly DateTimeOffset DueAt = new(2026, 12, 2, 23, 59, 59, TimeSpan.FromHours(8));

    private readonly Mock<TaskOrchestrationContext> _context = new();
    private readonly List<string> _activities = [];
    private readonly Queue<ClaimSnapshot> _loads = new();
    private readonly Queue<TaskCompletionSource<string>> _signals = new();
    private readonly Queue<Func<Task>> _timers = new();
    private readonly List<(DateTime At, CancellationToken Cancel)> _timersCreated = [];
    private readonly List<string> _steps = [];
    private int _waits;

    public ClaimOrchestratorSpec()
    {
        _context.Setup(c => c.GetInput<ClaimInput>()).Returns(new ClaimInput(Id));
        _context.SetupGet(c => c.CurrentUtcDateTime).Returns(Now);
        _context.Setup(c => c.WaitForExternalEvent<string>(ClaimOrchestrator.ClaimChanged, It.IsAny<CancellationToken>()))
            .Returns(() =>
            {
                _waits++;
                return _signals.TryDequeue(out var signal) ? signal.Task : new TaskCompletionSource<string>().Task;
            });
        _context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()))
            .Returns<DateTime, CancellationToken>((at, cancel) =>
            {
                _timersCreated.Add((at, cancel));
                return _timers.TryDequeue(out var timer) ? timer() : new TaskCompletionSource().Task;
            });
        _context.Setup(c => c.SetCustomStatus(It.IsAny<object?>())).Callback<object?>(status => _steps.Add(((ClaimStep)status!).Step));
        Activity(nameof(ClaimFunctions.ArchiveCase), true);
        Activity<ClaimSnapshot>(nameof(ClaimFunctions.LoadClaim), () => _loads.Dequeue());
    }

    private void Activity<T>(string name, T result) => Activity(name, () => result);

    private void Activity<T>(string name, Func<T> result) =>
        _context.Setup(c => c.CallActivityAsync<T>(It.Is<TaskName>(n => n.Name == name), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns(() =>
            {
                _activities.Add(name);
                return Task.FromResult(result());
            });

    private static ClaimSnapshot At(string status) =>
        status is "first-review" or "final-review" ? new ClaimSnapshot(status, RemindAt, DueAt) : new ClaimSnapshot(status, null, null);

    /// <summary>Approved, and a payout run has put a payment of the claim into a bank file.</summary>
    private static ClaimSnapshot FirstPaymentIssued() => new("approved", null, null, FirstPaymentIssued: true);

    private static TaskCompletionSource<string> Signalled()
    {
        var signal = new TaskCompletionSource<string>();
        signal.SetResult("changed");
        return signal;
    }

    [Fact]
    public async Task A_claim_the_data_rule_out_is_told_archived_and_never_waits()
    {
        Activity(nameof(ClaimFunctions.VerifyClaim), At("rejected"));

        var outcome = await ClaimOrchestrator.RunAsync(_context.Object);

        Assert.Equal("rejected", outcome);
        Assert.Equal([nameof(ClaimFunctions.VerifyClaim), nameof(ClaimFunctions.ArchiveCase)], _activities);
        _context.Verify(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Two_deadline_timeouts_then_one_signal_moves_the_case_once_and_no_wait_is_left_to_swallow_the_next()
    {
        Activity(nameof(ClaimFunctions.VerifyClaim), At("first-review"));
        Activity(nameof(ClaimFunctions.RemindOffice), At("first-review"));
        Activity(nameof(ClaimFunctions.FlagOverdue), At("first-review"));
        var firstDecision = new TaskCompletionSource<string>();
        var finalDecision = new TaskCompletionSource<string>();
        _signals.Enqueue(firstDecision);
        _signals.Enqueue(finalDecision);
        _timers.Enqueue(() => Task.CompletedTask);  // the reminder is due
        _timers.Enqueue(() => Task.CompletedTask);  // then the deadline passes
        _timers.Enqueue(() =>                       // the daily look: the reviewer decides before it fires
        {
            firstDecision.SetResult("changed");
            return new TaskCompletionSource().Task;
        });
        _timers.Enqueue(() =>
        {
            finalDecision.SetResult("changed");
            return new TaskCompletionSource().Task;
        });
        _loads.Enqueue(At("final-review"));
        _loads.Enqueue(At("approved"));
        _loads.Enqueue(FirstPaymentIssued());

        var outcome = await ClaimOrchestrator.RunAsync(_context.Object);

        Assert.Equal("approved", outcome);
        Assert.Equal(
        [
            nameof(ClaimFunctions.VerifyClaim),
            nameof(ClaimFunctions.RemindOffice), nameof(ClaimFunctions.FlagOverdue), nameof(ClaimFunctions.LoadClaim),
            nameof(ClaimFunctions.LoadClaim), nameof(ClaimFunctions.LoadClaim),
        ], _activities);
        // One wait per signal consumed, plus the one left open when the claim was approved: the timeouts made none.
        Assert.Equal(3, _waits);
        _context.Verify(c => c.CreateTimer(RemindAt.UtcDateTime, It.IsAny<CancellationToken>()), Times.Exactly(2));
        _context.Verify(c => c.CreateTimer(DueAt.UtcDateTime, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task A_decision_signalled_before_the_claim_was_verified_is_read_when_the_claim_is()
    {
        Activity(nameof(ClaimFunctions.VerifyClaim), At("first-review"));
        var early = new TaskCompletionSource<string>();
        early.SetResult("changed");
        _signals.Enqueue(early);
        _loads.Enqueue(At("rejected"));

        var outcome = await ClaimOrchestrator.RunAsync(_context.Object);

        Assert.Equal("rejected", outcome);
        Assert.Equal(nameof(ClaimFunctions.ArchiveCase), _activities[^1]);
        _context.Verify(c => c.CallActivityAsync<ClaimSnapshot>(It.Is<TaskName>(n => n.Name == nameof(ClaimFunctions.RemindOffice)),
            It.IsAny<object?>(), It.IsAny<TaskOptions?>()), Times.Never);
    }

    [Fact]
    public async Task A_stop_reported_while_the_approval_was_finishing_is_told_and_archived_before_the_orchestration_ends()
    {
        Activity(nameof(ClaimFunctions.VerifyClaim), At("final-review"));
        var decision = new TaskCompletionSource<string>();
        decision.SetResult("changed");
        _signals.Enqueue(decision);
        _loads.Enqueue(At("approved"));
        _loads.Enqueue(At("terminated"));

        var outcome = await ClaimOrchestrator.RunAsync(_context.Object);

        Assert.Equal("terminated", outcome);
        Assert.Equal([nameof(ClaimFunctions.LoadClaim), nameof(ClaimFunctions.LoadClaim), nameof(ClaimFunctions.ArchiveCase)], _activities[^3..]);
    }

    [Fact]
    public async Task A_case_still_waiting_after_many_looks_continues_as_new_and_keeps_unread_signals()
    {
        Activity(nameof(ClaimFunctions.VerifyClaim), At("first-review"));
        Activity(nameof(ClaimFunctions.RemindOffice), At("first-review"));
        Activity(nameof(ClaimFunctions.FlagOverdue), At("first-review"));
        for (var i = 0; i < ClaimOrchestrator.WakesPerExecution; i++)
        {
            _timers.Enqueue(() => Task.CompletedTask);
            _loads.Enqueue(At("first-review"));
        }

        await ClaimOrchestrator.RunAsync(_context.Object);

        _context.Verify(c => c.ContinueAsNew(It.Is<ClaimInput>(i => i.ApplicationId == Id && !i.Recheck), true), Times.Once);
        Assert.Equal(ClaimOrchestrator.WakesPerExecution - 2, _activities.Count(a => a == nameof(ClaimFunctions.LoadClaim)));
    }

    [Fact]
    public async Task A_recheck_runs_verification_again_and_continues_to_first_review()
    {
        _context.Setup(c => c.GetInput<ClaimInput>()).Returns(new ClaimInput(Id, Recheck: true));
        Activity(nameof(ClaimFunctions.RecheckClaim), At("first-review"));
        var decision = new TaskCompletionSource<string>();
        decision.SetResult("changed");
        _signals.Enqueue(decision);
        _loads.Enqueue(At("rejected"));

        await ClaimOrchestrator.RunAsync(_context.Object);

        Assert.Equal(nameof(ClaimFunctions.RecheckClaim), _activities[0]);
        Assert.DoesNotContain(nameof(ClaimFunctions.VerifyClaim), _activities);
    }

    [Fact]
    public async Task An_approved_claim_waits_for_its_first_payment_and_ends_when_the_run_that_issues_it_signals()
    {
        Activity(nameof(ClaimFunctions.VerifyClaim), At("final-review"));
        _signals.Enqueue(Signalled());  // the final review approves
        _signals.Enqueue(Signalled());  // a supplementary run puts the first month into a bank file
        _loads.Enqueue(At("approved"));
        _loads.Enqueue(At("approved"));
        _loads.Enqueue(FirstPaymentIssued());

        var outcome = await ClaimOrchestrator.RunAsync(_context.Object);

        Assert.Equal("approved", outcome);
        Assert.Equal(["verifying", "final-review", ClaimOrchestrator.AwaitingPayment, ClaimOrchestrator.FirstPaymentIssued], _steps);
        Assert.Equal([nameof(ClaimFunctions.VerifyClaim), nameof(ClaimFunctions.LoadClaim), nameof(ClaimFunctions.LoadClaim), nameof(ClaimFunctions.LoadClaim)],
            _activities);
        Assert.DoesNotContain(nameof(ClaimFunctions.ArchiveCase), _activities);
        // The daily look the signal beat is cancelled, and one wait is left open, not one per stage and signal.
        var (at, cancel) = _timersCreated[^1];
        Assert.Equal(Now + ClaimOrchestrator.Recheck, at);
        Assert.True(cancel.IsCancellationRequested);
        Assert.Equal(3, _waits);
        _context.Verify(c => c.ContinueAsNew(It.IsAny<object?>(), It.IsAny<bool>()), Times.Never);
    }

    [Fact]
    public async Task A_payment_signal_that_was_lost_is_made_up_by_the_daily_look()
    {
        // Started by the reconciler for a claim approved before: verification finds nothing to do.
        Activity(nameof(ClaimFunctions.VerifyClaim), At("approved"));
        _loads.Enqueue(At("approved"));
        _timers.Enqueue(() => Task.CompletedTask);
        _loads.Enqueue(FirstPaymentIssued());

        var outcome = await ClaimOrchestrator.RunAsync(_context.Object);

        Assert.Equal("approved", outcome);
        Assert.Equal(ClaimOrchestrator.FirstPaymentIssued, _steps[^1]);
        Assert.Equal((Now + ClaimOrchestrator.Recheck, false), (_timersCreated.Single().At, _timersCreated.Single().Cancel.IsCancellationRequested));
        Assert.Equal(1, _waits);
    }

    [Fact]
    public async Task A_claim_stopped_before_its_first_payment_is_told_archived_and_its_orchestration_ends()
    {
        Activity(nameof(ClaimFunctions.VerifyClaim), At("approved"));
        _signals.Enqueue(Signalled());  // re-employment reported while the first month waits for a run
        _loads.Enqueue(At("approved"));
        _loads.Enqueue(At("terminated"));

        var outcome = await ClaimOrchestrator.RunAsync(_context.Object);

        Assert.Equal("terminated", outcome);
        Assert.Equal([nameof(ClaimFunctions.VerifyClaim), nameof(ClaimFunctions.LoadClaim), nameof(ClaimFunctions.LoadClaim), nameof(ClaimFunctions.ArchiveCase)],
            _activities);
        Assert.Equal([ClaimOrchestrator.AwaitingPayment, "terminated"], _steps[^2..]);
        Assert.True(_timersCreated.Single().Cancel.IsCancellationRequested);
    }

    [Fact]
    public async Task A_claim_long_waiting_for_its_first_payment_continues_as_new_and_keeps_unread_signals()
    {
        Activity(nameof(ClaimFunctions.VerifyClaim), At("approved"));
        _loads.Enqueue(At("approved"));
        for (var i = 0; i < ClaimOrchestrator.WakesPerExecution; i++)
        {
            _timers.Enqueue(() => Task.CompletedTask);
            _loads.Enqueue(At("approved"));
        }

        await ClaimOrchestrator.RunAsync(_context.Object);

        _context.Verify(c => c.ContinueAsNew(It.Is<ClaimInput>(i => i.ApplicationId == Id && !i.Recheck), true), Times.Once);
        Assert.Equal(ClaimOrchestrator.WakesPerExecution, _timersCreated.Count);
        Assert.Equal(ClaimOrchestrator.WakesPerExecution + 1, _activities.Count(a => a == nameof(ClaimFunctions.LoadClaim)));
        Assert.DoesNotContain(ClaimOrchestrator.FirstPaymentIssued, _steps);
        Assert.Equal(1, _waits);
    }
}
