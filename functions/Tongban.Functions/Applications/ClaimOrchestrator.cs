using System.Text.Json.Serialization;
using Microsoft.DurableTask;
using Tongban.Domain.Claims;

namespace Tongban.Applications;

/// <summary>The claim's orchestration input: its application id (the instance id too) and whether data changes asked for 二次审核.</summary>
public sealed record ClaimInput(string ApplicationId, bool Recheck = false);

/// <summary>
/// What an activity found the claim to be once it committed: its status (<see cref="ClaimStatuses"/> codes); while it
/// waits for a review, when its office is reminded and when it is overdue (working days on the province calendar); and
/// whether a payment of it is in a bank file in the archive (<c>first_issued_at</c>, set by the payout run's issue step;
/// only <see cref="ClaimFunctions.LoadClaim"/> reads it, the other activities leave it false).
/// </summary>
public sealed record ClaimSnapshot(string Status, DateTimeOffset? RemindAt, DateTimeOffset? DueAt, bool FirstPaymentIssued = false)
{
    public bool AtReview => Status is "first-review" or "final-review";
    public bool Closed => Status is "rejected" or "terminated" or "completed";

    /// <summary>Approved (or suspended): the entitlement is fixed and the payout runs pay it.</summary>
    public bool Entitled => Status is "approved" or "suspended";

    /// <summary>Entitled, and no payment of it in a bank file yet: the orchestration waits for the first.</summary>
    public bool AwaitingPayment => Entitled && !FirstPaymentIssued;
}

/// <summary>A claim at a review stage, for the deadline activities.</summary>
public sealed record StageInput(string ApplicationId, string Stage);

/// <summary>
/// What operators see of a claim's orchestration (its custom status, camelCase as the API is): the step it is at and, at
/// a review, its deadline. Steps: <c>verifying</c> or <c>rechecking</c> (二次审核); <c>first-review</c> or
/// <c>final-review</c> (with <c>dueAt</c>, <c>reminded</c>, <c>overdue</c>); <c>awaiting-payment</c>, approved and waiting
/// until a payout run — monthly or supplementary — puts the claim's first payment into a bank file of its insuring city;
/// and where it ended: <c>first-payment-issued</c>, or the status of a claim that closed on the way (<c>rejected</c>,
/// <c>terminated</c>, <c>completed</c>).
/// </summary>
public sealed record ClaimStep(
    [property: JsonPropertyName("step")] string Step,
    [property: JsonPropertyName("dueAt")] DateTimeOffset? DueAt = null,
    [property: JsonPropertyName("reminded")] bool Reminded = false,
    [property: JsonPropertyName("overdue")] bool Overdue = false);

/// <summary>
/// A claim's journey, one orchestration per application (instance id = application id):
/// verify from shared data (零材料) → first review (初审) at the accepting office → routed to the insuring city (参保地)
/// → final review (复核) there → entitlement fixed → its first payment in a bank file (a monthly or supplementary run,
/// 补发, within days of approval); or rejected, with the reasons, and archived. A claim stopped before it was first paid
/// (re-employment, death, …) ends there, told and archived. The later months are the payout runs' alone.
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
/// <para>
/// The payout run's issue step tells the claims whose first payment it put into a bank file (<see cref="ClaimChanged"/>);
/// the wait for it also reads the claim daily, so a lost signal only delays the step a day.
/// </para>
/// </summary>
public static class ClaimOrchestrator
{
    public const string Name = "ClaimOrchestrator";

    /// <summary>The external event raised after a decision about the claim committed; its payload is not read.</summary>
    public const string ClaimChanged = "ClaimChanged";

    /// <summary>
    /// How often a claim waiting past its deadline, or for its first payment, is read again, in case a change was
    /// signalled to nobody.
    /// </summary>
    public static readonly TimeSpan Recheck = TimeSpan.FromHours(24);

    /// <summary>
    /// Wake-ups at one stage before the orchestration continues as new (at a review the reminder, the overdue flag, then
    /// two months of daily looks; waiting for the first payment, about two months of them): the history stays short
    /// however long a case waits.
    /// </summary>
    public const int WakesPerExecution = 64;

    /// <summary>The step of an approved claim until its first payment is in a bank file (<see cref="ClaimStep"/>).</summary>
    public const string AwaitingPayment = "awaiting-payment";

    /// <summary>The step an orchestration ends at once the claim's first payment is in a bank file.</summary>
    public const string FirstPaymentIssued = "first-payment-issued";

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

        if (claim.Entitled)
        {
            // Read the claim again: the activities before did not look at its payments, and a stop reported while the
            // approval was being finished was signalled to this orchestration between its waits.
            claim = await context.CallActivityAsync<ClaimSnapshot>(nameof(ClaimFunctions.LoadClaim), id, Retry);
            if (claim.AwaitingPayment)
            {
                (claim, changed, var waiting) = await AwaitFirstPaymentAsync(context, id, claim, changed);
                if (waiting)
                {
                    context.ContinueAsNew(new ClaimInput(id), preserveUnprocessedEvents: true);
                    return claim.Status;
                }
            }
            // Stopped before or while it waited: the activity that read the stop sent its SMS; the case is archived below.
        }
        if (claim.Closed) await context.CallActivityAsync<bool>(nameof(ClaimFunctions.ArchiveCase), id, Retry);
        // Still being paid: the first payment is in a bank file, and the payout runs pay the rest month by month.
        context.SetCustomStatus(new ClaimStep(claim.Entitled ? FirstPaymentIssued : claim.Status));
        return claim.Status;
    }

    /// <summary>
    /// Waits, approved, until the claim's first payment is in a bank file — told by the payout run that issues it, or
    /// seen at a daily look — or until it stops being paid (a stop event, a death); <c>Waiting</c> when neither has
    /// happened after <see cref="WakesPerExecution"/> wake-ups.
    /// </summary>
    private static async Task<(ClaimSnapshot Claim, Task<string> Changed, bool Waiting)> AwaitFirstPaymentAsync(TaskOrchestrationContext context,
        string id, ClaimSnapshot claim, Task<string> changed)
    {
        context.SetCustomStatus(new ClaimStep(AwaitingPayment));
        for (var wake = 0; wake < WakesPerExecution; wake++)
        {
            using var timerCancel = new CancellationTokenSource();
            var timer = context.CreateTimer(context.CurrentUtcDateTime + Recheck, timerCancel.Token);
            var signalled = await Task.WhenAny(changed, timer) == changed;
            if (signalled) timerCancel.Cancel();
            claim = await context.CallActivityAsync<ClaimSnapshot>(nameof(ClaimFunctions.LoadClaim), id, Retry);
            if (signalled) changed = context.WaitForExternalEvent<string>(ClaimChanged);
            if (!claim.AwaitingPayment) return (claim, changed, false);
        }
        return (claim, changed, true);
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
