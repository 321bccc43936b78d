using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Tongban.Hosting;
using Tongban.Domain;
using Tongban.Domain.Claims;
using Tongban.Domain.Province;

namespace Tongban.Payouts;

public sealed class PayoutFunctions(PayoutRuns runs, ProvinceConfig province, TimeProvider clock, HttpFunctions http)
{
    /// <summary>
    /// Daily at 00:05 China time (16:05 UTC): from the 1st, the month's run and its orchestration start, once across
    /// instances; a month missed while everything was down is caught up, and a run whose orchestration failed (a gap in
    /// the province configuration, since fixed) is started again.
    /// </summary>
    [Function("MonthlyPayout")]
    public async Task MonthlyPayout([TimerTrigger("0 5 16 * * *")] TimerInfo timer, [DurableClient] DurableTaskClient durable, CancellationToken ct)
    {
        foreach (var period in DueMonths.Since(1, clock.GetUtcNow()))
        {
            var run = (await runs.RequestAsync(YearMonth.Parse(period), ClaimWorkflow.SystemActor, ct))!;
            if (run.Status != RunStatus.Completed) await PayoutRunWorkflows.StartAsync(durable, PayoutRunInput.Of(run), ct);
        }
    }

    /// <summary>
    /// Every working day (the province's calendar, make-up weekends included) at 09:30 China time (01:30 UTC): once the
    /// month's runs have completed, a supplementary run (补发) pays what became due since — approvals' first months, back
    /// pay, reissues, death benefits, payments staff released — so an approved month is paid by the next working day,
    /// not held for next month's run. Once across instances: the run is created in one transaction and its instance id
    /// names month, kind and sequence. A run of the month still in progress (or one stopped by a crash) is started again.
    /// </summary>
    [Function("SupplementaryPayout")]
    public async Task SupplementaryPayout([TimerTrigger("0 30 1 * * *")] TimerInfo timer, [DurableClient] DurableTaskClient durable,
        CancellationToken ct)
    {
        var today = Deadlines.LocalDate(clock.GetUtcNow());
        if (!province.Calendar.IsWorkingDay(today)) return;
        if (await runs.RequestAsync(YearMonth.Of(today), ClaimWorkflow.SystemActor, ct, supplementaryOnly: true) is { Status: not RunStatus.Completed } run)
            await PayoutRunWorkflows.StartAsync(durable, PayoutRunInput.Of(run), ct);
    }

    [Function(nameof(StartPayoutRun))]
    public Task<IResult> StartPayoutRun([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/admin/payout-runs")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);

    [Function(nameof(ListPayoutRuns))]
    public Task<IResult> ListPayoutRuns([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/admin/payout-runs")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);

    [Function(nameof(GetPayoutRun))]
    public Task<IResult> GetPayoutRun([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/admin/payout-runs/{runId}")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);

    [Function(nameof(DownloadBankFile))]
    public Task<IResult> DownloadBankFile([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/admin/payout-runs/{runId}/files/{cityCode}")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);

    [Function(nameof(ImportBankReturns))]
    public Task<IResult> ImportBankReturns([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/admin/payout-runs/{runId}/returns")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);

    [Function(nameof(ListFlaggedPayments))]
    public Task<IResult> ListFlaggedPayments([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/admin/payments")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);

    [Function(nameof(ReissuePayment))]
    public Task<IResult> ReissuePayment([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/admin/payments/{paymentId}/reissue")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);

    [Function(nameof(ListRecoveryCases))]
    public Task<IResult> ListRecoveryCases([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/admin/recovery-cases")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);

    [Function(nameof(RecordRepayment))]
    public Task<IResult> RecordRepayment([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/admin/recovery-cases/{caseId}/repayments")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);

    [Function(nameof(AgreeInstalments))]
    public Task<IResult> AgreeInstalments([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/admin/recovery-cases/{caseId}/instalments")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);

    [Function(nameof(GetFund))]
    public Task<IResult> GetFund([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/admin/funds/{cityCode}")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);

    [Function(nameof(ListFundMovements))]
    public Task<IResult> ListFundMovements([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/admin/funds/{cityCode}/movements")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);

    [Function(nameof(ListApplicationPayments))]
    public Task<IResult> ListApplicationPayments([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/applications/{id}/payments")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => http.InvokeAsync(request, durable);
}
