using Microsoft.DurableTask;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Tongban.Payouts;

namespace Tongban.Tests.Payouts;

/// <summary>
/// The payout run's orchestration on a mocked <see cref="TaskOrchestrationContext"/> (the Durable samples' way): which
/// step follows which as the activities report the run's status. No database, no task hub: the steps themselves are
/// tested on real runs.
/// </summary>
public sealed class PayoutRunOrchestratorSpec
{
    private const string RunId = "6f1c2d3e-0000-4000-a000-000000000001";
    private static readonly PayoutRunInput Input = new(RunId, "2026-11");
    private readonly Mock<TaskOrchestrationContext> _context = new();
    private readonly List<(string Activity, object? Input)> _calls = [];

    public PayoutRunOrchestratorSpec()
    {
        _context.Setup(c => c.GetInput<PayoutRunInput>()).Returns(Input);
        _context.Setup(c => c.CreateReplaySafeLogger(It.IsAny<string>())).Returns(NullLogger.Instance);
        Activity<string[]>(nameof(PayoutRunFunctions.ListPayoutCities), _ => ["460100", "460200"]);
        Activity(nameof(PayoutRunFunctions.IssuePayoutCity), input => new PayoutFileRow { RunId = RunId, CityCode = ((CityIssue)input!).CityCode });
        Activity(nameof(PayoutRunFunctions.CompletePayoutRun), _ => Run(RunStatus.Completed));
        Activity<long?>(nameof(PayoutRunFunctions.DeliverPayoutSms), _ => null);
    }

    private void Activity<T>(string name, Func<object?, T> result) =>
        _context.Setup(c => c.CallActivityAsync<T>(It.Is<TaskName>(n => n.Name == name), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns((TaskName _, object? input, TaskOptions? _) =>
            {
                _calls.Add((name, input));
                return Task.FromResult(result(input));
            });

    private static PayoutRunSnapshot Run(string status, long chunks = 0) => new(RunId, "2026-11", status, chunks);

    private IEnumerable<string> Activities => _calls.Select(c => c.Activity);

    [Fact]
    public async Task A_run_fixes_its_rates_pays_chunk_after_chunk_issues_each_city_completes_and_then_delivers_its_sms()
    {
        Activity(nameof(PayoutRunFunctions.FixPayoutRates), _ => Run(RunStatus.Paying));
        var chunks = new Queue<PayoutRunSnapshot>([Run(RunStatus.Paying, 1), Run(RunStatus.Issuing, 2)]);
        Activity(nameof(PayoutRunFunctions.PayPayoutChunk), _ => chunks.Dequeue());
        // A return file queued more than a batch of SMS: the next batch starts after the last message the first looked at.
        var sms = new Queue<long?>([1000L, null]);
        Activity(nameof(PayoutRunFunctions.DeliverPayoutSms), _ => sms.Dequeue());

        var status = await PayoutRunOrchestrator.RunAsync(_context.Object);

        Assert.Equal(RunStatus.Completed, status);
        Assert.Equal(
        [
            nameof(PayoutRunFunctions.FixPayoutRates), nameof(PayoutRunFunctions.PayPayoutChunk), nameof(PayoutRunFunctions.PayPayoutChunk),
            nameof(PayoutRunFunctions.ListPayoutCities), nameof(PayoutRunFunctions.IssuePayoutCity), nameof(PayoutRunFunctions.IssuePayoutCity),
            nameof(PayoutRunFunctions.CompletePayoutRun), nameof(PayoutRunFunctions.DeliverPayoutSms), nameof(PayoutRunFunctions.DeliverPayoutSms),
        ], Activities);
        Assert.Equal([new CityIssue(RunId, "460100"), new CityIssue(RunId, "460200")],
            _calls.Where(c => c.Activity == nameof(PayoutRunFunctions.IssuePayoutCity)).Select(c => c.Input));
        Assert.Equal([new RunSmsBatch(RunId, 0), new RunSmsBatch(RunId, 1000)],
            _calls.Where(c => c.Activity == nameof(PayoutRunFunctions.DeliverPayoutSms)).Select(c => c.Input));
        _context.Verify(c => c.SetCustomStatus(new PayoutRunStep(RunStatus.Completed, 0)), Times.Once());
        _context.Verify(c => c.ContinueAsNew(It.IsAny<object?>(), It.IsAny<bool>()), Times.Never());
    }

    [Fact]
    public async Task A_run_already_completed_is_not_paid_or_issued_again_and_only_delivers_its_sms()
    {
        Activity(nameof(PayoutRunFunctions.FixPayoutRates), _ => Run(RunStatus.Completed, 20));

        var status = await PayoutRunOrchestrator.RunAsync(_context.Object);

        Assert.Equal(RunStatus.Completed, status);
        Assert.Equal([nameof(PayoutRunFunctions.FixPayoutRates), nameof(PayoutRunFunctions.DeliverPayoutSms)], Activities);
    }

    [Fact]
    public async Task A_run_of_many_chunks_continues_as_new_after_a_hundred_so_its_history_stays_short()
    {
        Activity(nameof(PayoutRunFunctions.FixPayoutRates), _ => Run(RunStatus.Paying));
        var paid = 0L;
        Activity(nameof(PayoutRunFunctions.PayPayoutChunk), _ => Run(RunStatus.Paying, ++paid));

        var status = await PayoutRunOrchestrator.RunAsync(_context.Object);

        Assert.Equal(RunStatus.Paying, status);
        Assert.Equal(PayoutRunOrchestrator.ChunksPerExecution, paid);
        Assert.DoesNotContain(nameof(PayoutRunFunctions.ListPayoutCities), Activities);
        Assert.DoesNotContain(nameof(PayoutRunFunctions.DeliverPayoutSms), Activities);
        _context.Verify(c => c.ContinueAsNew(Input, It.IsAny<bool>()), Times.Once());
    }

    [Fact]
    public async Task A_step_that_keeps_failing_fails_the_orchestration_and_nothing_after_it_runs()
    {
        _context.Setup(c => c.CallActivityAsync<PayoutRunSnapshot>(
                It.Is<TaskName>(n => n.Name == nameof(PayoutRunFunctions.FixPayoutRates)), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .ThrowsAsync(new TaskFailedException(nameof(PayoutRunFunctions.FixPayoutRates), 1,
                new InvalidOperationException("City 469001 has no benefit standard in force for 2026-11")));

        await Assert.ThrowsAsync<TaskFailedException>(() => PayoutRunOrchestrator.RunAsync(_context.Object));

        Assert.Empty(_calls);
    }
}
