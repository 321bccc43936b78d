using Microsoft.DurableTask;

namespace Tongban.CrossChecks;

/// <summary>A match's orchestration input: its id (the instance id is <see cref="CrossCheckWorkflows.InstanceId"/>).</summary>
public sealed record MatchInput(string MatchId);

/// <summary>
/// A match's wait for a person's decision (issue 12), one orchestration per match: the match has already suspended its
/// claim, in the transaction that stored it; this reads it, delivers the SMS queued for the recipient, and waits — for the
/// decision, raised as <see cref="MatchChanged"/> after it committed, raced against a durable timer at the match's
/// deadline (<c>CrossChecks:DecisionWorkingDays</c> working days on the province calendar). Past the deadline the match is
/// escalated to the insuring city's supervisor, and the wait goes on with a daily look. The database decides: the decision
/// is committed by the request that carries it, so a lost event or a lost task hub only delays the end of this wait, and
/// the reconciler gives every undecided match without an orchestration a new one.
/// </summary>
public static class CrossCheckOrchestrator
{
    public const string Name = "CrossCheckOrchestrator";

    /// <summary>The external event raised after a decision about the match committed; its payload is not read.</summary>
    public const string MatchChanged = "MatchChanged";

    /// <summary>How often an escalated match is read again, in case its decision was signalled to nobody.</summary>
    public static readonly TimeSpan Recheck = TimeSpan.FromHours(24);

    /// <summary>Wake-ups before the orchestration continues as new, so its history stays short however long a match waits.</summary>
    public const int WakesPerExecution = 64;

    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 8, firstRetryInterval: TimeSpan.FromSeconds(5), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromHours(1)));

    public static async Task<string> RunAsync(TaskOrchestrationContext context)
    {
        var input = context.GetInput<MatchInput>() ?? throw new InvalidOperationException("A match orchestration needs its match id.");
        var match = await context.CallActivityAsync<MatchSnapshot>(nameof(CrossCheckFunctions.LoadMatch), input.MatchId, Retry);
        var changed = context.WaitForExternalEvent<string>(MatchChanged);
        for (var wake = 0; wake < WakesPerExecution && !match.Decided; wake++)
        {
            context.SetCustomStatus(match.Status);
            var deadline = match.Status == MatchStatus.Open ? match.DeadlineAt.UtcDateTime : context.CurrentUtcDateTime + Recheck;
            using var timerCancel = new CancellationTokenSource();
            var timer = context.CreateTimer(deadline, timerCancel.Token);
            if (await Task.WhenAny(changed, timer) == changed)
            {
                timerCancel.Cancel();
                match = await context.CallActivityAsync<MatchSnapshot>(nameof(CrossCheckFunctions.LoadMatch), input.MatchId, Retry);
                changed = context.WaitForExternalEvent<string>(MatchChanged);
            }
            else if (match.Status == MatchStatus.Open)
            {
                match = await context.CallActivityAsync<MatchSnapshot>(nameof(CrossCheckFunctions.EscalateMatch), input.MatchId, Retry);
            }
            else
            {
                match = await context.CallActivityAsync<MatchSnapshot>(nameof(CrossCheckFunctions.LoadMatch), input.MatchId, Retry);
            }
        }
        if (!match.Decided)
        {
            context.ContinueAsNew(input, preserveUnprocessedEvents: true);
            return match.Status;
        }
        context.SetCustomStatus(match.Status);
        return match.Status;
    }
}
