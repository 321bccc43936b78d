using System.Text.Json.Serialization;
using Microsoft.DurableTask;

namespace Tongban.Payouts;

/// <summary>
/// The run's orchestration input: the run (its row in <c>payout_runs</c>), its month ("YYYY-MM"), kind
/// (<see cref="RunKind"/>) and sequence (0 for the monthly run, 1, 2, … for the month's supplementary runs), which
/// together name its instance (<see cref="PayoutRunWorkflows.InstanceId"/>). Inputs from before supplementary runs
/// carry neither kind nor sequence: they were monthly runs.
/// </summary>
public sealed record PayoutRunInput(string RunId, string Period, string Kind = RunKind.Monthly, long Sequence = 0)
{
    public string InstanceId => PayoutRunWorkflows.InstanceId(Period, Kind, Sequence);

    public static PayoutRunInput Of(RunRequest run) => new(run.RunId, run.Period, run.Kind, run.Sequence);
}

/// <summary>A city's part of a run, for its issuing step.</summary>
public sealed record CityIssue(string RunId, string CityCode);

/// <summary>One batch of a run's SMS: the messages after <paramref name="AfterId"/> (notification ids, 0 for the first).</summary>
public sealed record RunSmsBatch(string RunId, long AfterId);

/// <summary>
/// What operators see of a running payout run (the orchestration's custom status, camelCase as the API is): its step
/// (<c>rates</c>, <c>paying</c>, <c>issuing</c>, <c>delivering-sms</c>, <c>completed</c>), the chunks of applications paid,
/// and the cities being issued.
/// </summary>
public sealed record PayoutRunStep(
    [property: JsonPropertyName("step")] string Step,
    [property: JsonPropertyName("chunks")] long Chunks = 0,
    [property: JsonPropertyName("cities")] int Cities = 0);

/// <summary>
/// A payout run, monthly or supplementary, one orchestration per run (instance id from month, kind and sequence,
/// <see cref="PayoutRunWorkflows"/>):
/// rates fixed → payments inserted chunk by chunk → each city issued (ledger posting, bank file, and the orchestrations
/// of the claims whose first payment the file holds told) → completed → the SMS queued for the people it pays delivered.
/// <para>
/// The database decides, Durable drives: each step is an activity that commits one transaction guarded by the run's
/// status and cursor (<see cref="PayoutRuns"/>), and answers with the run as it left it; the orchestration only picks the
/// next step from that answer. Durable's checkpoints are what carries a run across a crash: a step repeated, or run at
/// the same time by a second orchestration of the same run (another instance's task hub, the reconciler after the
/// in-memory hub was lost), finds its work done and changes nothing. A run that is already completed goes straight to
/// delivering its SMS, which is how a return file's payment SMS are sent (<see cref="PayoutEndpoints"/>).
/// </para>
/// </summary>
public static class PayoutRunOrchestrator
{
    public const string Name = "PayoutRunOrchestrator";

    /// <summary>
    /// Chunks paid per execution before the orchestration continues as new: the history stays short however small the
    /// chunks (Payouts:ChunkSize) or large the province.
    /// </summary>
    public const int ChunksPerExecution = 100;

    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 8, firstRetryInterval: TimeSpan.FromSeconds(5), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromHours(1)));

    public static async Task<string> RunAsync(TaskOrchestrationContext context)
    {
        var input = context.GetInput<PayoutRunInput>() ?? throw new InvalidOperationException("A payout run orchestration needs its run.");
        var log = context.CreateReplaySafeLogger(Name);

        context.SetCustomStatus(new PayoutRunStep("rates"));
        var run = await context.CallActivityAsync<PayoutRunSnapshot>(nameof(PayoutRunFunctions.FixPayoutRates), input.RunId, Retry);

        for (var chunk = 0; run.Status == RunStatus.Paying; chunk++)
        {
            if (chunk == ChunksPerExecution)
            {
                context.ContinueAsNew(input);
                return run.Status;
            }
            context.SetCustomStatus(new PayoutRunStep(RunStatus.Paying, run.Chunks));
            run = await context.CallActivityAsync<PayoutRunSnapshot>(nameof(PayoutRunFunctions.PayPayoutChunk), input.RunId, Retry);
        }

        if (run.Status == RunStatus.Issuing)
        {
            var cities = await context.CallActivityAsync<string[]>(nameof(PayoutRunFunctions.ListPayoutCities), input.RunId, Retry);
            context.SetCustomStatus(new PayoutRunStep(RunStatus.Issuing, run.Chunks, cities.Length));
            // Each city's fund pays its own: the cities' files are written side by side.
            var files = await Task.WhenAll(cities.Select(city => context.CallActivityAsync<PayoutFileRow>(
                nameof(PayoutRunFunctions.IssuePayoutCity), new CityIssue(input.RunId, city), Retry)));
            run = await context.CallActivityAsync<PayoutRunSnapshot>(nameof(PayoutRunFunctions.CompletePayoutRun), input.RunId, Retry);
            log.LogInformation("Payout run {RunId} ({Kind}) of {Period} completed: {Payments} payments in {Files} bank files",
                input.RunId, input.Kind, input.Period, files.Sum(f => f.Payments), files.Length);
        }

        context.SetCustomStatus(new PayoutRunStep("delivering-sms", run.Chunks));
        for (long? after = 0; after is { } from;)
            after = await context.CallActivityAsync<long?>(nameof(PayoutRunFunctions.DeliverPayoutSms), new RunSmsBatch(input.RunId, from), Retry);

        context.SetCustomStatus(new PayoutRunStep(run.Status, run.Chunks));
        return run.Status;
    }
}
