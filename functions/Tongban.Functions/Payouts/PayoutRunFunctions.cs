using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Tongban.Applications;
using Tongban.Hosting;
using Tongban.Notifications;

namespace Tongban.Payouts;

/// <summary>The payout run's orchestration and its activities as functions: each a line handing over to the step it runs.</summary>
public sealed class PayoutRunFunctions(PayoutRuns runs, PaymentFiles files, SmsDelivery sms, ILogger<PayoutRunFunctions> log)
{
    [Function(PayoutRunOrchestrator.Name), OrchestratorInput(typeof(PayoutRunInput))]
    public static Task<string> Orchestrate([OrchestrationTrigger] TaskOrchestrationContext context) => PayoutRunOrchestrator.RunAsync(context);

    [Function(nameof(FixPayoutRates))]
    public Task<PayoutRunSnapshot> FixPayoutRates([ActivityTrigger] string runId) => runs.FixRatesAsync(runId, CancellationToken.None);

    [Function(nameof(PayPayoutChunk))]
    public Task<PayoutRunSnapshot> PayPayoutChunk([ActivityTrigger] string runId) => runs.PayChunkAsync(runId, CancellationToken.None);

    [Function(nameof(ListPayoutCities))]
    public Task<string[]> ListPayoutCities([ActivityTrigger] string runId) => runs.CitiesAsync(runId, CancellationToken.None);

    /// <summary>
    /// A city's ledger posting and bank file; then the live orchestrations of the claims whose first payment the file holds
    /// are told (<see cref="ClaimWorkflows.SignalAsync"/>), a few at a time. A signal lost here (a crash after the file is
    /// in the archive) is made up by the claim's own daily look at the database.
    /// </summary>
    [Function(nameof(IssuePayoutCity))]
    public async Task<PayoutFileRow> IssuePayoutCity([ActivityTrigger] CityIssue issue, [DurableClient] DurableTaskClient durable)
    {
        var issued = await files.IssueAsync(issue.RunId, issue.CityCode, CancellationToken.None);
        await Parallel.ForEachAsync(issued.FirstPayments, new ParallelOptions { MaxDegreeOfParallelism = SignalsAtOnce },
            async (id, ct) => await ClaimWorkflows.SignalAsync(durable, id, log, ct, startIfNone: false));
        return issued.File;
    }

    /// <summary>Claim orchestrations told at once after a bank file: the task hub's round trips overlap, the store is not touched.</summary>
    public const int SignalsAtOnce = 8;

    [Function(nameof(CompletePayoutRun))]
    public Task<PayoutRunSnapshot> CompletePayoutRun([ActivityTrigger] string runId) => runs.CompleteAsync(runId, CancellationToken.None);

    /// <summary>Sends a batch of the SMS queued for the people the run pays, each once; null when none is left.</summary>
    [Function(nameof(DeliverPayoutSms))]
    public Task<long?> DeliverPayoutSms([ActivityTrigger] RunSmsBatch batch) =>
        sms.DeliverForRunAsync(batch.RunId, batch.AfterId, PayoutRuns.SmsBatch, CancellationToken.None);
}
