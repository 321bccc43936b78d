using System.Data.Common;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Tongban.Hosting;
using Tongban.Notifications;
using Tongban.Review;
using Tongban.Storage;
using Tongban.Verification;

namespace Tongban.Applications;

/// <summary>The claim orchestration and its activities as functions: each a line handing over to the capability that does it.</summary>
public sealed class ClaimFunctions(Database database, ClaimStore store, ClaimVerification verification, VerificationBatches verifications,
    DeadlineAlerts deadlines, SmsDelivery sms, CaseArchive archive)
{
    [Function(ClaimOrchestrator.Name), OrchestratorInput(typeof(ClaimInput))]
    public static Task<string> Orchestrate([OrchestrationTrigger] TaskOrchestrationContext context) => ClaimOrchestrator.RunAsync(context);

    /// <summary>
    /// Automatic verification (零材料): rejects with reasons or assigns first review, and sends the SMS; no-op unless
    /// verifying. Verified together with the claims arriving at the same moment (<see cref="VerificationBatches"/>).
    /// </summary>
    [Function(nameof(VerifyClaim))]
    public Task<ClaimSnapshot> VerifyClaim([ActivityTrigger] string applicationId) => verifications.VerifyAsync(applicationId);

    /// <summary>二次审核: an automatic rejection verified again after the person's data changed.</summary>
    [Function(nameof(RecheckClaim))]
    public Task<ClaimSnapshot> RecheckClaim([ActivityTrigger] string applicationId) =>
        StepThenDeliverSms(applicationId, (c, t) => verification.RecheckAsync(c, t, applicationId));

    /// <summary>The claim as a decision committed elsewhere (a review, a stop report) left it.</summary>
    [Function(nameof(LoadClaim))]
    public Task<ClaimSnapshot> LoadClaim([ActivityTrigger] string applicationId) =>
        StepThenDeliverSms(applicationId, (c, t) => store.SnapshotAsync(c, t, applicationId));

    [Function(nameof(RemindOffice))]
    public Task<ClaimSnapshot> RemindOffice([ActivityTrigger] StageInput stage) =>
        StepThenDeliverSms(stage.ApplicationId, (c, t) => deadlines.RemindAsync(c, t, stage));

    [Function(nameof(FlagOverdue))]
    public Task<ClaimSnapshot> FlagOverdue([ActivityTrigger] StageInput stage) =>
        StepThenDeliverSms(stage.ApplicationId, (c, t) => deadlines.FlagOverdueAsync(c, t, stage));

    [Function(nameof(ArchiveCase))]
    public Task<bool> ArchiveCase([ActivityTrigger] string applicationId) => archive.ArchiveAsync(applicationId, CancellationToken.None);

    /// <summary>
    /// Every step that reads the claim ends by sending what is queued for its applicant — what the step itself committed,
    /// or the decision that signalled it — each message once (<see cref="SmsDelivery"/>). The step and the claim on its
    /// messages commit in one transaction, and they are sent after it. A gateway failure fails the activity, and its
    /// retry finds the step already done and sends what is left. One activity, not two: each activity costs the
    /// orchestration a round trip through the task hub; one transaction, not two: each costs the database a commit.
    /// </summary>
    private async Task<ClaimSnapshot> StepThenDeliverSms(string applicationId, Func<DbConnection, DbTransaction, Task<ClaimSnapshot>> step)
    {
        var (claim, outgoing) = await database.InTransactionAsync(async (c, t) =>
            (await step(c, t), await sms.ClaimForApplicationsAsync(c, t, [applicationId])));
        if ((await sms.SendClaimedAsync(outgoing, CancellationToken.None)).Values.FirstOrDefault() is { } failure) throw failure;
        return claim;
    }
}
