using System.Text.Json.Serialization;
using Microsoft.DurableTask;
using Tongban.Domain.Claims;

namespace Tongban.Applications;

/// <summary>The claim's orchestration input: its application id (the instance id too) and whether data changes asked for 二次审核.</summary>
public sealed record ClaimInput(string ApplicationId, bool Recheck = false);

/// <summary>
/// What an activity found the claim to be once it committed: its status (<see cref="ClaimStatuses"/> codes) and, while it
/// waits for a review, when its office is reminded and when it is overdue (working days on the province calendar).
/// </summary>
public sealed record ClaimSnapshot(string Status, DateTimeOffset? RemindAt, DateTimeOffset? DueAt)
{
    public bool AtReview => Status is "first-review" or "final-review";
    public bool Closed => Status is "rejected" or "terminated" or "completed";
}

/// <summary>A claim at a review stage, for the deadline activities.</summary>
public sealed record StageInput(string ApplicationId, string Stage);

/// <summary>
/// What operators see of a running claim (the orchestration's custom status, camelCase as the API is): the step it is
/// at (a status code, <c>verifying</c>, <c>rechecking</c> or <c>handed-to-payment</c>) and, at a review, its deadline.
/// </summary>
public sealed record ClaimStep(
    [property: JsonPropertyName("step")] string Step,
    [property: JsonPropertyName("dueAt")] DateTimeOffset? DueAt = null,
    [property: JsonPropertyName("reminded")] bool Reminded = false,
    [property: JsonPropertyName("overdue")] bool Overdue = false);

/// <summary>
/// A claim's journey, one orchestration per application (instance id = application id):
/// verify from shared data (零材料) → first review (初审) at the accepting office → routed to the insuring city (参保地)
/// → final review (复核) there → entitlement fixed, handed to the payout runs; or rejected, with the reasons, and archived.
/// <para>
/// The database decides, Durable drives: every decision commits where it arrives — verification in its activity, a
/// reviewer's decision in the HTTP request that carries it — and the orchestration only learns that the claim changed
/// (<see cref="ClaimChanged"/>) and reads it again. So a lost event, a lost task hub or a restart loses nothing: the
/// reconciler starts a new orchestration that continues from the database. Each activity is idempotent.
/// </para>
/// <para>
/// Review deadlines are durable timers: on the morning of the due day the office is reminded; past the end of the due
/// day the case is flagged overdue for the city supervisor (Gaoming's 日清日结; 经办条例 art. 24 allows 10 working days,
/// the province sets fewer). Each activity that reads the claim also delivers the SMS queued for it, once per notification.
/// </para>
/// </summary>
public static class ClaimOrchestrator
{
    public const string Name = "ClaimOrchestrator";

    /// <summary>The external event raised after a decision about the claim committed; its payload is not read.</summary>
    public const string ClaimChanged = "ClaimChanged";

    /// <summary>How often a claim waiting past its deadline is read again, in case a change was signalled to nobody.</summary>
    public static readonly TimeSpan Recheck = TimeSpan.FromHours(24);

    /// <summary>
    /// Wake-ups at one stage before the orchestration continues as new (the reminder, the overdue flag, then two
    /// months of daily looks): the history stays short however long a case waits.
    /// </summary>
    public const int WakesPerExecution = 64;

    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 8, firstRetryInterval: TimeSpan.FromSeconds(5), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromHours(1)));

    public static async Task<string> RunAsync(TaskOrchestrationContext context)
    {
        var input = context.GetInput<ClaimInput>() ?? throw new InvalidOperationException("A claim orchestration needs its application id.");
        var id = input.ApplicationId;

        context.SetCustomStatus(new ClaimStep(input.Recheck ? "rechecking" : "verifying"));
        var claim = await context.CallActivityAsync<ClaimSnapshot>(
            input.Recheck ? nameof(ClaimFunctions.RecheckClaim) : nameof(ClaimFunctions.VerifyClaim), id, Retry);

        // One wait per signal, kept across stages: a wait abandoned to a timer would stay registered and, in SDKs that
        // hand events to the oldest waiter, swallow the next signal.
        var changed = context.WaitForExternalEvent<string>(ClaimChanged);
        while (claim.AtReview)
        {
            (claim, changed, var waiting) = await AwaitReviewAsync(context, id, claim, changed);
            if (waiting)
            {
                context.ContinueAsNew(new ClaimInput(id), preserveUnprocessedEvents: true);
                return claim.Status;
            }
        }

        if (claim.Status == ClaimStatus.Approved.Code())
        {
            // A stop reported while the approval was being finished was signalled to this orchestration, which waits for
            // nothing now: read the claim once more rather than leave its SMS and archive to the reconciler.
            claim = await context.CallActivityAsync<ClaimSnapshot>(nameof(ClaimFunctions.LoadClaim), id, Retry);
        }
        if (claim.Closed) await context.CallActivityAsync<bool>(nameof(ClaimFunctions.ArchiveCase), id, Retry);
        // Approved: the entitlement is fixed and the payout runs pay it from here.
        context.SetCustomStatus(new ClaimStep(claim.Status == ClaimStatus.Approved.Code() ? "handed-to-payment" : claim.Status));
        return claim.Status;
    }

    /// <summary>
    /// Waits at one review stage until the claim leaves it, reminding the office and flagging the case overdue on the
    /// way; <c>Waiting</c> when it is still there after <see cref="WakesPerExecution"/> wake-ups.
    /// </summary>
    private static async Task<(ClaimSnapshot Claim, Task<string> Changed, bool Waiting)> AwaitReviewAsync(TaskOrchestrationContext context,
        string id, ClaimSnapshot claim, Task<string> changed)
    {
        var stage = new StageInput(id, claim.Status);
        var reminded = false;
        var overdue = false;
        for (var wake = 0; wake < WakesPerExecution; wake++)
        {
            context.SetCustomStatus(new ClaimStep(claim.Status, claim.DueAt, reminded, overdue));
            var deadline = !reminded && claim.RemindAt is { } remind ? remind
                : !overdue && claim.DueAt is { } due ? due
                : context.CurrentUtcDateTime + Recheck;
            using var timerCancel = new CancellationTokenSource();
            var timer = context.CreateTimer(deadline.UtcDateTime, timerCancel.Token);
            if (await Task.WhenAny(changed, timer) == changed)
            {
                timerCancel.Cancel();
                claim = await context.CallActivityAsync<ClaimSnapshot>(nameof(ClaimFunctions.LoadClaim), id, Retry);
                changed = context.WaitForExternalEvent<string>(ClaimChanged);
            }
            else if (!reminded && claim.RemindAt is not null)
            {
                claim = await context.CallActivityAsync<ClaimSnapshot>(nameof(ClaimFunctions.RemindOffice), stage, Retry);
                reminded = true;
            }
            else if (!overdue && claim.DueAt is not null)
            {
                claim = await context.CallActivityAsync<ClaimSnapshot>(nameof(ClaimFunctions.FlagOverdue), stage, Retry);
                overdue = true;
            }
            else
            {
                claim = await context.CallActivityAsync<ClaimSnapshot>(nameof(ClaimFunctions.LoadClaim), id, Retry);
            }
            if (claim.Status != stage.Stage) return (claim, changed, false);
        }
        return (claim, changed, true);
    }
}
