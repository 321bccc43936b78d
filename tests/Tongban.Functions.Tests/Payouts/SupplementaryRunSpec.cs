using System.Net;
using Dapper;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Tongban.Domain;
using Tongban.Payouts;
using Tongban.Storage;
using Tongban.Tests.Infrastructure;

namespace Tongban.Tests.Payouts;

/// <summary>
/// Supplementary runs (补发): November's own run has paid everyone on 1 November 2026 (at start-up); Wang is approved on
/// Wednesday 4 November, so November is due to him and the next supplementary run pays it in a bank file of its own.
/// Hainan's rules, except that the month of a stop is not paid, so a stop inside November excludes it.
/// </summary>
public abstract class SupplementaryRunSpec(Store store) : IAsyncLifetime
{
    private static readonly Person Wang = new(51, "王海", "460200", "460200");
    private readonly string _folder = Directory.CreateTempSubdirectory("tongban-province-").FullName;
    private PayoutDriver _d = null!;

    public async ValueTask InitializeAsync()
    {
        var province = ProvinceFiles.Write(_folder, "hainan", p => p["payouts"]!["partialMonth"] = "stop-month-not-paid");
        _d = await PayoutDriver.StartAsync(store, new DateTimeOffset(2026, 11, 1, 9, 0, 0, PayoutDriver.China), $"--Province:Name={province}");
        await _d.ScheduledRunAsync("2026-11");
        await _d.ImportAsync(Wang.Spell());
        await _d.TodayAsync(2026, 11, 4);
    }

    public async ValueTask DisposeAsync()
    {
        await _d.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private Task<HttpResponseMessage> StartAsync(string period) => _d.Admin.PostJsonAsync("/api/v1/admin/payout-runs", new { period });

    private async Task<long> RunsAsync(string kind)
    {
        await using var c = await _d.App.Services.GetRequiredService<Database>().OpenAsync(TestContext.Current.CancellationToken);
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM payout_runs WHERE kind = @kind", new { kind });
    }

    [Fact]
    public async Task A_claim_approved_after_the_months_run_is_paid_by_a_supplementary_run_with_a_bank_file_of_its_own()
    {
        var wang = await _d.ApproveAsync(Wang);

        var response = await StartAsync("2026-11");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.JsonAsync();
        Assert.Equal("supplementary", accepted.GetProperty("kind").GetString());
        var run = await _d.WaitForRunAsync(accepted.GetProperty("runId").GetString()!);
        Assert.Equal("supplementary", run.GetProperty("kind").GetString());
        Assert.Equal(1, run.GetProperty("sequence").GetInt64());
        Assert.Equal(1, run.GetProperty("payments").GetInt64());
        var november = PayoutDriver.Yuan(_d.Amounts("460200", "2026-11").BenefitFen);
        Assert.Equal(november, run.GetProperty("totalAmount").GetDecimal());
        var file = Assert.Single(run.GetProperty("files").EnumerateArray());
        Assert.Equal($"payouts/2026-11/{run.GetProperty("runId").GetString()}/460200.csv", file.GetProperty("path").GetString());
        var payment = Assert.Single(await _d.PaymentsAsync(wang));
        Assert.Equal("sent", payment.GetProperty("status").GetString());
        var line = Assert.Single((await _d.BankFileAsync(run.GetProperty("runId").GetString()!, "460200")).Skip(1));
        Assert.Equal([payment.GetProperty("paymentId").GetString()!, Wang.Account, Wang.Name, november.ToString("0.00"), "2026年11月失业保险金"], line);

        // The run list tells the month's own run from its supplementary one, newest first.
        var runs = (await _d.Admin.GetJsonAsync("/api/v1/admin/payout-runs")).EnumerateArray()
            .Where(r => r.GetProperty("period").GetString() == "2026-11").Select(r => r.GetProperty("kind").GetString()).ToList();
        Assert.Equal(["supplementary", "monthly"], runs);

        // The totals the list shows are the ones kept on the run when it completed, not a sum over its payments.
        await using (var c = await _d.App.Services.GetRequiredService<Database>().OpenAsync(TestContext.Current.CancellationToken))
            Assert.Equal((1L, _d.Amounts("460200", "2026-11").BenefitFen), await c.QuerySingleAsync<(long, long)>(
                "SELECT payments, total_fen FROM payout_runs WHERE id = @id", new { id = run.GetProperty("runId").GetString() }));

        // The ledger posted it like any run: the books balance and hold November's benefit once.
        Assert.Equal(november, (await _d.FundAsync("460200"))[Domain.Ledger.Accounts.BenefitExpense].Balance);

        // December's own run pays December, never November again.
        await _d.TodayAsync(2026, 12, 1);
        var december = await _d.RunAsync("2026-12");
        Assert.Equal("monthly", december.GetProperty("kind").GetString());
        Assert.Equal(["2026-11", "2026-12"], (await _d.PaymentsAsync(wang)).Select(p => p.GetProperty("period").GetString()));
    }

    [Fact]
    public async Task Asked_again_with_nothing_due_the_answer_is_the_latest_run_and_nothing_is_started()
    {
        await _d.ApproveAsync(Wang);
        var first = await (await StartAsync("2026-11")).JsonAsync();
        await _d.WaitForRunAsync(first.GetProperty("runId").GetString()!);

        var again = await StartAsync("2026-11");

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var latest = await again.JsonAsync();
        Assert.Equal(first.GetProperty("runId").GetString(), latest.GetProperty("runId").GetString());
        Assert.Equal("completed", latest.GetProperty("status").GetString());
        Assert.Equal(1, await RunsAsync("supplementary"));
    }

    [Fact]
    public async Task The_timer_starts_one_supplementary_run_on_a_working_day_however_many_instances_fire_and_none_on_a_weekend()
    {
        await _d.ApproveAsync(Wang);
        var durable = _d.App.Services.GetRequiredService<DurableTaskClient>();
        var timers = Enumerable.Range(0, 3).Select(_ => ActivatorUtilities.CreateInstance<PayoutFunctions>(_d.App.Services)).ToList();

        await _d.TodayAsync(2026, 11, 7);
        await timers[0].SupplementaryPayout(new TimerInfo(), durable, TestContext.Current.CancellationToken);
        Assert.Equal(0, await RunsAsync("supplementary"));

        await _d.TodayAsync(2026, 11, 9);
        await Task.WhenAll(timers.Select(t => t.SupplementaryPayout(new TimerInfo(), durable, TestContext.Current.CancellationToken)));

        Assert.Equal(1, await RunsAsync("supplementary"));
        var run = (await _d.Admin.GetJsonAsync("/api/v1/admin/payout-runs")).EnumerateArray().First();
        Assert.Equal("supplementary", run.GetProperty("kind").GetString());
        Assert.Equal(1, (await _d.WaitForRunAsync(run.GetProperty("runId").GetString()!)).GetProperty("payments").GetInt64());
    }

    [Fact]
    public async Task The_timer_makes_no_empty_run_for_this_month_while_a_run_of_an_earlier_month_has_yet_to_take_what_is_due()
    {
        var ct = TestContext.Current.CancellationToken;
        await _d.ApproveAsync(Wang);
        var november = (await _d.RunAsync("2026-11")).GetProperty("runId").GetString()!;
        await _d.TodayAsync(2026, 12, 1);
        var december = (await _d.RunAsync("2026-12")).GetProperty("runId").GetString()!;
        // The bank returns Wang's November: its reissue is due, and an administrator asks for November's next run.
        var reference = (await _d.BankFileAsync(november, "460200"))[1][0];
        await _d.ReturnsAsync(november, $"reference,status,reason\n{reference},returned,账户冻结\n");
        var runs = _d.App.Services.GetRequiredService<PayoutRuns>();
        Assert.True((await runs.RequestAsync(YearMonth.Parse("2026-11"), "admin", ct))!.Created);

        // Before that run takes the reissue, the daily timer asks for December's: the reissue is that run's, not due here.
        var timer = await runs.RequestAsync(YearMonth.Parse("2026-12"), "system", ct, supplementaryOnly: true);

        Assert.Equal((december, false), (timer!.RunId, timer.Created));
        Assert.Equal(2, await RunsAsync("supplementary"));
    }

    [Fact]
    public async Task A_stop_reported_as_the_supplementary_run_pays_leaves_the_month_unpaid_or_overpaid_never_lost()
    {
        var wang = await _d.ApproveAsync(Wang);
        var runs = _d.App.Services.GetRequiredService<PayoutRuns>();
        var ct = TestContext.Current.CancellationToken;

        // The run adopts November and issues it while an enlistment dated in November (which excludes it) is reported.
        var run = (await runs.RequestAsync(YearMonth.Parse("2026-11"), "admin", ct))!;
        Assert.Equal("supplementary", run.Kind);
        using var office = await _d.App.StaffAsync("460200-01-r1");
        var stop = office.PostJsonAsync($"/api/v1/applications/{wang}/events", new { type = "enlisted", date = "2026-11-04" });
        var steps = runs.RunStepsAsync(run.RunId, ct);
        Assert.Equal(HttpStatusCode.OK, (await stop).StatusCode);
        await steps;

        var payment = Assert.Single(await _d.PaymentsAsync(wang));
        var recoveries = (await _d.Admin.GetJsonAsync($"/api/v1/admin/recovery-cases?applicationId={wang}")).EnumerateArray().ToList();
        // A stop that came first cancelled it before the run adopted it: then the run has no bank file at all.
        var files = (await _d.WaitForRunAsync(run.RunId)).GetProperty("files").EnumerateArray().ToList();
        var inFile = files.Count > 0
                     && (await _d.BankFileAsync(run.RunId, "460200")).Skip(1).Any(l => l[0] == payment.GetProperty("paymentId").GetString());
        switch (payment.GetProperty("status").GetString())
        {
            case "cancelled":
                Assert.False(inFile);
                Assert.Empty(recoveries);
                break;
            case "overpaid":
                Assert.True(inFile);
                Assert.Single(recoveries);
                break;
            default:
                Assert.Fail($"November is {payment.GetProperty("status")} after the stop");
                break;
        }
        Assert.True((await _d.Admin.GetJsonAsync("/api/v1/admin/funds/460200")).GetProperty("balanced").GetBoolean());
    }
}

public sealed class SupplementaryRunOnSqlite() : SupplementaryRunSpec(Store.Sqlite);

public sealed class SupplementaryRunOnPostgres() : SupplementaryRunSpec(Store.Postgres);
