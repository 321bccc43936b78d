using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using Tongban.Archive;
using Tongban.Domain;
using Tongban.Domain.Claims;
using Tongban.Domain.Payouts;
using Tongban.Domain.Province;
using Tongban.Hosting;
using Tongban.Ledger;
using Tongban.Registry;
using Tongban.Security;
using Tongban.Storage;

namespace Tongban.Payouts;

/// <summary>The month to pay, YYYY-MM.</summary>
public sealed record PayoutRunRequest(string? Period);

/// <summary>The run a request started or found: its id, kind (<see cref="RunKind"/>) and status.</summary>
public sealed record PayoutRunAccepted(string RunId, string Kind, string Status);

/// <summary>A repayment received: the amount in yuan (at most two decimals) and its receipt reference (1 to 64 characters).</summary>
public sealed record RepaymentRequest(decimal? Amount, string? Reference);

/// <summary>Monthly instalments agreed for the rest of an overpayment: 2 to 36.</summary>
public sealed record InstalmentsRequest(int? Instalments);

/// <summary>The new payment that reissues a flagged one in the next run.</summary>
public sealed record ReissueAccepted(string PaymentId);

/// <summary>A city fund's books: each account's debits, credits and balance (yuan), and whether the books balance.</summary>
public sealed record FundView(string CityCode, string Name, IReadOnlyList<AccountBalance> Accounts, decimal Debits, decimal Credits, bool Balanced);

/// <summary>Payout runs, bank files and return files, flagged payments, recovery cases and the funds' books (administrators); an applicant's payments.</summary>
public static class PayoutEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var admin = api.MapGroup("/admin").RequireAuthorization(Principals.AdministratorPolicy);
        admin.MapPost("/payout-runs", RequestRunAsync).WithName("StartPayoutRun")
            .Produces<PayoutRunAccepted>(StatusCodes.Status202Accepted).Produces<PayoutRunAccepted>().ProducesValidationProblem()
            .WithSummary("Start the payout run of a month; once its runs have completed, a supplementary run (补发) of what became due since, or the latest run when nothing is due");
        admin.MapGet("/payout-runs", ListRunsAsync).WithName("ListPayoutRuns").WithSummary("The latest payout runs, monthly and supplementary, newest first")
            .Produces<PayoutRunView[]>();
        admin.MapGet("/payout-runs/{runId}", GetRunAsync).WithName("GetPayoutRun").WithSummary("A payout run: status, payments, totals, bank files")
            .Produces<PayoutRunView>().ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapGet("/payout-runs/{runId}/files/{cityCode}", DownloadFileAsync).WithName("DownloadBankFile")
            .Produces<string>(StatusCodes.Status200OK, "text/csv").ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A city's bank payment file of a run (full card accounts: every download is audited)");
        admin.MapPost("/payout-runs/{runId}/returns", ImportReturnsAsync).WithName("ImportBankReturns")
            .WithMetadata(new RequestSizeLimitAttribute(RegistryEndpoints.MaxCsvBytes)).Accepts<string>("text/csv").Produces<ReturnImportResult>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Import the bank's return file (reference,status,reason): payments paid or returned");
        admin.MapGet("/payments", PaymentsForStaffAsync).WithName("ListFlaggedPayments")
            .WithSummary("Payments flagged for staff (flagged=true: returned twice, or no card account), or the one with a bank reference (reference=…)")
            .Produces<StaffPaymentView[]>().ProducesValidationProblem();
        admin.MapPost("/payments/{paymentId}/reissue", ReissueAsync).WithName("ReissuePayment")
            .WithSummary("Reissue a flagged payment in the next run, once its card account has been put right")
            .Produces<ReissueAccepted>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapGet("/recovery-cases", RecoveryCasesAsync).WithName("ListRecoveryCases").WithSummary("Overpayments being recovered, with every amount recovered")
            .Produces<RecoveryCaseView[]>().ProducesValidationProblem();
        admin.MapPost("/recovery-cases/{caseId}/repayments", RepayAsync).WithName("RecordRepayment").WithSummary("Record a repayment received (once per receipt reference)")
            .Produces<RecoveryCaseView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapPost("/recovery-cases/{caseId}/instalments", InstalmentsAsync).WithName("AgreeInstalments").WithSummary("Agree repayment in instalments")
            .Produces<RecoveryCaseView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapGet("/funds/{cityCode}", FundAsync).WithName("GetFund").WithSummary("A city fund's books: balance by account")
            .Produces<FundView>().ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapGet("/funds/{cityCode}/movements", MovementsAsync).WithName("ListFundMovements").WithSummary("A city fund's ledger transactions, newest first (runId: one run's)")
            .Produces<Movement[]>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/applications/{id}/payments", PaymentsAsync).WithName("ListApplicationPayments").RequireAuthorization(Principals.PortalOrStaffPolicy)
            .WithSummary("An application's payments: month, amount, status")
            .Produces<PaymentView[]>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> RequestRunAsync(HttpContext http, PayoutRuns runs, DurableTaskClient durable, TimeProvider clock,
        ProvinceConfig province)
    {
        var (request, problem) = await JsonBody.ReadAsync<PayoutRunRequest>(http.Request);
        if (problem is not null) return problem;
        if (!YearMonth.TryParse(request!.Period, out var period))
            return Problems.Invalid("period", string.IsNullOrEmpty(request.Period) ? "Required, as YYYY-MM." : "Not a month from 1900-01 on, as YYYY-MM.");
        switch (PayoutPeriods.Check(period, province, clock.GetUtcNow()))
        {
            case PeriodRefusal.NotBegun:
                return Problems.Invalid("period", "The month has not begun: a month is paid from its first day on.");
            case PeriodRefusal.BeforeStandards:
                return Problems.Invalid("period",
                    $"Before {PayoutPeriods.FirstPayable(province)}, the first month with a benefit standard in force: nothing can be paid for it.");
        }
        var run = (await runs.RequestAsync(period, http.User.Identity!.Name!, http.RequestAborted))!;
        // A run not completed gets its orchestration: a new one, one that failed started again, or the live one left running.
        if (run.Status != RunStatus.Completed) await PayoutRunWorkflows.StartAsync(durable, PayoutRunInput.Of(run), http.RequestAborted);
        var location = $"/api/v1/admin/payout-runs/{run.RunId}";
        var body = new PayoutRunAccepted(run.RunId, run.Kind, run.Status);
        if (run.Created) return TypedResults.Accepted(location, body);
        // The month's run in progress, or its latest when nothing is due: that run, as it stands, and nothing started twice.
        http.Response.Headers.Location = location;
        return TypedResults.Ok(body);
    }

    private static async Task<IResult> ListRunsAsync(HttpContext http, Database database)
    {
        await using var c = await database.OpenAsync(http.RequestAborted);
        return TypedResults.Ok(await PayoutViews.LatestRunsAsync(c, 24));
    }

    private static async Task<IResult> GetRunAsync(string runId, HttpContext http, Database database)
    {
        await using var c = await database.OpenAsync(http.RequestAborted);
        return await PayoutViews.RunAsync(c, runId) is { } view ? TypedResults.Ok(view) : Problems.NotFound($"Payout run {runId}");
    }

    private static async Task<IResult> DownloadFileAsync(string runId, string cityCode, HttpContext http, Database database, IArchive archive,
        TimeProvider clock)
    {
        PayoutFileRow? file;
        await using (var c = await database.OpenAsync(http.RequestAborted))
            file = await c.QuerySingleOrDefaultAsync<PayoutFileRow>(
                "SELECT * FROM payout_files WHERE run_id = @runId AND city_code = @cityCode AND archived", new { runId, cityCode });
        if (file is null || await archive.OpenReadAsync(file.Path, http.RequestAborted) is not { } content)
            return Problems.NotFound($"The bank file of run {runId} for city {cityCode}");
        // Full card accounts and names leave the system here: each person in the file is a reveal (个人信息保护法 art. 51).
        await database.InTransactionAsync((c, t) => c.ExecuteAsync(
            $"""
            INSERT INTO personal_data_reveals (at, actor, application_id, reason)
            SELECT @now, @actor, p.application_id, @reason FROM payments p WHERE {PaymentFiles.InFileSql}
            """, new { file.RunId, file.CityCode, file.Path, now = clock.GetUtcNow().ToUnixTimeMilliseconds(), actor = http.User.Identity!.Name,
                reason = $"下载银行代发文件 {file.Path}" }, t), http.RequestAborted);
        return TypedResults.Stream(content, "text/csv; charset=utf-8", file.Path.Replace('/', '-'));
    }

    private static async Task<IResult> ImportReturnsAsync(string runId, HttpContext http, Database database, BankReturns returns,
        DurableTaskClient durable, ILogger<BankReturns> log)
    {
        if (CsvUploads.Unsupported(http.Request) is { } unsupported) return unsupported;
        RunRow? run;
        await using (var c = await database.OpenAsync(http.RequestAborted))
            if ((run = await PayoutRuns.FindAsync(c, runId)) is null) return Problems.NotFound($"Payout run {runId}");
        ReturnImportResult result;
        try
        {
            result = await returns.ImportCsvAsync(runId, http.Request.Body, http.User.Identity!.Name!, http.RequestAborted);
        }
        catch (InvalidCsvException e)
        {
            return Problems.Invalid("$", e.Message);
        }
        // The import has committed with its SMS: the run's orchestration, started again, finds its steps done and delivers
        // them. Should that fail, or the run's orchestration still be live (a return file within seconds of the run, past its
        // delivery step), the answer stands and the SMS sweep sends them within 20 seconds.
        try
        {
            await PayoutRunWorkflows.StartAsync(durable, new PayoutRunInput(run.Id, run.Period, run.Kind, run.Sequence), CancellationToken.None);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "The SMS of run {RunId}'s return file were left to the sweep", runId);
        }
        return TypedResults.Ok(result);
    }

    private static async Task<IResult> PaymentsForStaffAsync(bool? flagged, string? reference, HttpContext http, Database database)
    {
        if ((flagged == true) == (reference is not null))
            return Problems.Invalid(reference is null ? "flagged" : "reference",
                "Give either flagged=true (the payments waiting for staff) or reference (a bank file's reference).");
        await using var c = await database.OpenAsync(http.RequestAborted);
        return TypedResults.Ok(await PayoutViews.ForStaffAsync(c, flagged == true, reference));
    }

    private static async Task<IResult> ReissueAsync(string paymentId, HttpContext http, Database database, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var exists = false;
        var reissued = await database.InTransactionAsync(async (c, t) =>
        {
            var row = await c.QuerySingleOrDefaultAsync<(string ApplicationId, string Period, string Kind, long Attempt, bool Waiting)>(
                "SELECT application_id, period, kind, attempt, CASE WHEN flagged AND status = 'returned' THEN TRUE ELSE FALSE END FROM payments WHERE id = @paymentId",
                new { paymentId }, t);
            exists = row.ApplicationId is not null;
            if (!exists || !row.Waiting) return null;
            var newId = BankReturns.ReissueId(row.ApplicationId!, row.Period, row.Kind, row.Attempt);
            await c.ExecuteAsync(BankReturns.ReissueSql, new { id = paymentId, newId, at = now.ToUnixTimeMilliseconds() }, t);
            await c.ExecuteAsync("UPDATE payments SET flagged = FALSE, updated_at = @at WHERE id = @paymentId",
                new { paymentId, at = now.ToUnixTimeMilliseconds() }, t);
            return newId;
        }, http.RequestAborted);
        if (reissued is null)
            return exists
                ? Problems.Refusal(409, "Not waiting for staff", RefusalCode.PaymentNotFlagged, $"Payment {paymentId} is not a flagged returned payment (already reissued, or never returned twice).")
                : Problems.NotFound($"Payment {paymentId}");
        return TypedResults.Accepted($"/api/v1/admin/payments/{reissued}", new ReissueAccepted(reissued));
    }

    private static async Task<IResult> RecoveryCasesAsync(string? applicationId, string? status, HttpContext http, Database database)
    {
        if (status is not (null or "open" or "recovered")) return Problems.Invalid("status", "open or recovered.");
        await using var c = await database.OpenAsync(http.RequestAborted);
        return TypedResults.Ok(await PayoutViews.RecoveryCasesAsync(c, applicationId, status));
    }

    private static async Task<IResult> RepayAsync(string caseId, HttpContext http, Database database, TimeProvider clock)
    {
        var (request, problem) = await JsonBody.ReadAsync<RepaymentRequest>(http.Request);
        if (problem is not null) return problem;
        var errors = new Dictionary<string, string[]>();
        // Capped far above any overpayment, so the amount in fen always fits; what is owed is checked against the case.
        if (request!.Amount is not { } amount || amount is <= 0 or > 10_000_000 || decimal.Round(amount, 2) != amount)
            errors["amount"] = ["A positive amount in yuan, at most two decimals and at most 10,000,000."];
        if (request.Reference is not { Length: >= 1 and <= 64 } reference || reference.Any(char.IsControl))
            errors["reference"] = ["The receipt reference of the repayment, 1 to 64 characters."];
        if (errors.Count > 0) return Problems.Invalid(errors);
        var fen = (long)(request.Amount!.Value * 100);
        var outcome = await database.InTransactionAsync((c, t) => Recoveries.RepayAsync(c, t, database.Provider == DatabaseProvider.Postgres,
            caseId, fen, request.Reference!.Trim(), http.User.Identity!.Name!, clock.GetUtcNow()), http.RequestAborted);
        return outcome switch
        {
            RepaymentOutcome.NotFound => Problems.NotFound($"Recovery case {caseId}"),
            RepaymentOutcome.Duplicate => Problems.Refusal(409, "Already recorded", RefusalCode.RepaymentAlreadyRecorded, $"A repayment with reference {request.Reference} is already recorded for this case."),
            RepaymentOutcome.TooMuch => Problems.Invalid("amount", "More than is still owed on this case (or the case is settled)."),
            _ => await CaseAsync(caseId, http, database),
        };
    }

    private static async Task<IResult> InstalmentsAsync(string caseId, HttpContext http, Database database, TimeProvider clock)
    {
        var (request, problem) = await JsonBody.ReadAsync<InstalmentsRequest>(http.Request);
        if (problem is not null) return problem;
        if (request!.Instalments is not (>= 2 and <= 36)) return Problems.Invalid("instalments", "2 to 36 monthly instalments.");
        var agreed = await database.InTransactionAsync((c, t) =>
            Recoveries.AgreeInstalmentsAsync(c, t, caseId, request.Instalments.Value, clock.GetUtcNow()), http.RequestAborted);
        return agreed is null
            ? Problems.Refusal(409, "Not open", RefusalCode.RecoveryCaseNotOpen, $"Recovery case {caseId} does not exist or is settled.")
            : await CaseAsync(caseId, http, database);
    }

    private static async Task<IResult> CaseAsync(string caseId, HttpContext http, Database database)
    {
        await using var c = await database.OpenAsync(http.RequestAborted);
        var view = (await PayoutViews.RecoveryCasesAsync(c, null, null, caseId)).SingleOrDefault();
        return view is null ? Problems.NotFound($"Recovery case {caseId}") : TypedResults.Ok(view);
    }

    private static async Task<IResult> FundAsync(string cityCode, HttpContext http, Database database, ProvinceConfig province)
    {
        if (province.FindCity(cityCode) is not { } city) return Problems.NotFound($"City {cityCode}");
        await using var c = await database.OpenAsync(http.RequestAborted);
        var accounts = await LedgerStore.BalancesAsync(c, cityCode);
        var (debits, credits) = (accounts.Sum(a => a.Debit), accounts.Sum(a => a.Credit));
        return TypedResults.Ok(new FundView(city.Code, city.Name, accounts, debits, credits, debits == credits));
    }

    private static async Task<IResult> MovementsAsync(string cityCode, string? runId, int? limit, HttpContext http, Database database,
        ProvinceConfig province)
    {
        if (province.FindCity(cityCode) is null) return Problems.NotFound($"City {cityCode}");
        if (limit is < 1 or > 500) return Problems.Invalid("limit", "1 to 500.");
        await using var c = await database.OpenAsync(http.RequestAborted);
        return TypedResults.Ok(await LedgerStore.MovementsAsync(c, cityCode, runId, limit ?? 100));
    }

    private static async Task<IResult> PaymentsAsync(string id, HttpContext http, Database database)
    {
        await using var c = await database.OpenAsync(http.RequestAborted);
        var portal = await c.QuerySingleOrDefaultAsync<string>("SELECT portal_id FROM applications WHERE id = @id", new { id });
        // A portal sees only what it submitted; staff see every case (全省通办).
        if (portal is null || (http.User.PortalId() is { } caller && caller != portal)) return Problems.NotFound($"Application {id}");
        return TypedResults.Ok(await PayoutViews.OfApplicationAsync(c, id));
    }
}
