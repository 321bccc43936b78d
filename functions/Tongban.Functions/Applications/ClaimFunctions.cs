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
    public Task<ClaimSnapshot> VerifyClaim([ActivityTrigger] string applicationId) => verification.VerifyAsync(applicationId, CancellationToken.None);

    /// <summary>二次审核: an automatic rejection verified again after the person's data changed.</summary>
    [Function(nameof(RecheckClaim))]
    public Task<ClaimSnapshot> RecheckClaim([ActivityTrigger] string applicationId) => verification.RecheckAsync(applicationId, CancellationToken.None);

    [Function(nameof(LoadClaim))]
    public Task<ClaimSnapshot> LoadClaim([ActivityTrigger] string applicationId) => store.SnapshotAsync(applicationId, CancellationToken.None);

    [Function(nameof(RemindOffice))]
    public Task<ClaimSnapshot> RemindOffice([ActivityTrigger] StageInput stage) => deadlines.RemindAsync(stage, CancellationToken.None);

    [Function(nameof(FlagOverdue))]
    public Task<ClaimSnapshot> FlagOverdue([ActivityTrigger] StageInput stage) => deadlines.FlagOverdueAsync(stage, CancellationToken.None);

    /// <summary>Sends the claim's queued SMS, each once; returns how many went out.</summary>
    [Function(nameof(DeliverSms))]
    public Task<int> DeliverSms([ActivityTrigger] string applicationId) => sms.DeliverForApplicationAsync(applicationId, CancellationToken.None);

    [Function(nameof(ArchiveCase))]
    public Task<bool> ArchiveCase([ActivityTrigger] string applicationId) => archive.ArchiveAsync(applicationId, CancellationToken.None);
}
