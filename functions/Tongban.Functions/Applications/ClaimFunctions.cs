using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Tongban.Hosting;
using Tongban.Notifications;
using Tongban.Review;
using Tongban.Verification;

namespace Tongban.Applications;

/// <summary>The claim orchestration and its activities as functions: each a line handing over to the capability that does it.</summary>
public sealed class ClaimFunctions(ClaimStore store, ClaimVerification verification, DeadlineAlerts deadlines, SmsDelivery sms,
    CaseArchive archive)
{
    [Function(ClaimOrchestrator.Name), OrchestratorInput(typeof(ClaimInput))]
    public static Task<string> Orchestrate([OrchestrationTrigger] TaskOrchestrationContext context) => ClaimOrchestrator.RunAsync(context);

    /// <summary>Automatic verification (零材料): rejects with reasons or assigns first review; no-op unless verifying.</summary>
    [Function(nameof(VerifyClaim))]
    public Task<ClaimSnapshot> VerifyClaim([ActivityTrigger] string applicationId) =>
        ThenDeliverSms(applicationId, verification.VerifyAsync(applicationId, CancellationToken.None));

    /// <summary>二次审核: an automatic rejection verified again after the person's data changed.</summary>
    [Function(nameof(RecheckClaim))]
    public Task<ClaimSnapshot> RecheckClaim([ActivityTrigger] string applicationId) =>
        ThenDeliverSms(applicationId, verification.RecheckAsync(applicationId, CancellationToken.None));

    /// <summary>The claim as a decision committed elsewhere (a review, a stop report) left it.</summary>
    [Function(nameof(LoadClaim))]
    public Task<ClaimSnapshot> LoadClaim([ActivityTrigger] string applicationId) =>
        ThenDeliverSms(applicationId, store.SnapshotAsync(applicationId, CancellationToken.None));

    [Function(nameof(RemindOffice))]
    public Task<ClaimSnapshot> RemindOffice([ActivityTrigger] StageInput stage) =>
        ThenDeliverSms(stage.ApplicationId, deadlines.RemindAsync(stage, CancellationToken.None));

    [Function(nameof(FlagOverdue))]
    public Task<ClaimSnapshot> FlagOverdue([ActivityTrigger] StageInput stage) =>
        ThenDeliverSms(stage.ApplicationId, deadlines.FlagOverdueAsync(stage, CancellationToken.None));

    [Function(nameof(ArchiveCase))]
    public Task<bool> ArchiveCase([ActivityTrigger] string applicationId) => archive.ArchiveAsync(applicationId, CancellationToken.None);

    /// <summary>
    /// Every step that reads the claim ends by sending what is queued for its applicant — what the step itself committed,
    /// or the decision that signalled it — each message once (<see cref="SmsDelivery"/>). A gateway failure fails the
    /// activity, and its retry finds the step already done and sends what is left. One activity, not two: each activity
    /// costs the orchestration a round trip through the task hub.
    /// </summary>
    private async Task<ClaimSnapshot> ThenDeliverSms(string applicationId, Task<ClaimSnapshot> step)
    {
        var claim = await step;
        await sms.DeliverForApplicationAsync(applicationId, CancellationToken.None);
        return claim;
    }
}
