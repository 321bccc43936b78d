using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Tongban.Hosting;
using Tongban.Notifications;

namespace Tongban.Payouts;

/// <summary>The payout run's orchestration and its activities as functions: each a line handing over to the step it runs.</summary>
public sealed class PayoutRunFunctions(PayoutRuns runs, PaymentFiles files, SmsDelivery sms)
{
    [Function(PayoutRunOrchestrator.Name), OrchestratorInput(typeof(PayoutRunInput))]
    public static Task<string> Orchestrate([OrchestrationTrigger] TaskOrchestrationContext context) => PayoutRunOrchestrator.RunAsync(context);

    [Function(nameof(FixPayoutRates))]
    public Task<PayoutRunSnapshot> FixPayoutRates([ActivityTrigger] string runId) => runs.FixRatesAsync(runId, CancellationToken.None);

    [Function(nameof(PayPayoutChunk))]
    public Task<PayoutRunSnapshot> PayPayoutChunk([ActivityTrigger] string runId) => runs.PayChunkAsync(runId, CancellationToken.None);

    [Function(nameof(ListPayoutCities))]
    public Task<string[]> ListPayoutCities([ActivityTrigger] string runId) => runs.CitiesAsync(runId, CancellationToken.None);

    /// <summary>A city's ledger posting and bank file.</summary>
    [Function(nameof(IssuePayoutCity))]
    public Task<PayoutFileRow> IssuePayoutCity([ActivityTrigger] CityIssue issue) => files.IssueAsync(issue.RunId, issue.CityCode, CancellationToken.None);

    [Function(nameof(CompletePayoutRun))]
    public Task<PayoutRunSnapshot> CompletePayoutRun([ActivityTrigger] string runId) => runs.CompleteAsync(runId, CancellationToken.None);

    /// <summary>Sends a batch of the SMS queued for the people the run pays, each once; null when none is left.</summary>
    [Function(nameof(DeliverPayoutSms))]
    public Task<long?> DeliverPayoutSms([ActivityTrigger] RunSmsBatch batch) =>
        sms.DeliverForRunAsync(batch.RunId, batch.AfterId, PayoutRuns.SmsBatch, CancellationToken.None);
}
