using System.Net;
using Tongban.Domain.Ledger;
using Tongban.Tests.Infrastructure;

namespace Tongban.Tests.Payouts;

/// <summary>
/// Monthly runs over HTTP, on a clock that starts on 20 October 2026: three people in two cities are approved
/// in October (so October is back pay), and November is run on the 1st.
/// </summary>
public abstract class PayoutRunSpec(Store store) : IAsyncLifetime
{
    private static readonly Person Wang = new(11, "王海", "460200", "460200");
    private static readonly Person Li = new(12, "李娜", "460200", "460200");
    private static readonly Person Zhou = new(13, "周强", "460400", "460400");
    private PayoutDriver _d = null!;

    public async ValueTask InitializeAsync()
    {
        _d = await PayoutDriver.StartAsync(store, new DateTimeOffset(2026, 10, 20, 9, 0, 0, PayoutDriver.China));
        // At start-up the schedule runs this month and the last (nobody to pay yet).
        await _d.ScheduledRunAsync("2026-10");
        await _d.ImportAsync(Wang.Spell(), Li.Spell(), Zhou.Spell());
    }

    public async ValueTask DisposeAsync() => await _d.DisposeAsync();

    [Fact]
    public async Task A_run_pays_every_entitlement_once_per_month_at_the_city_standard_with_the_medical_contribution()
    {
        var wang = await _d.ApproveAsync(Wang);
        await _d.ApproveAsync(Li);
        await _d.ApproveAsync(Zhou);
        await _d.TodayAsync(2026, 11, 1);

        var run = await _d.RunAsync("2026-11");

        // October was run before the approvals: it is back pay in November's run, at October's rates.
        string[] months = ["2026-10", "2026-11"];
        var benefit = months.Sum(m => 2 * _d.Amounts("460200", m).BenefitFen + _d.Amounts("460400", m).BenefitFen);
        var medical = months.Sum(m => 3 * _d.Amounts("460200", m).MedicalFen);
        Assert.Equal(6, run.GetProperty("payments").GetInt64());
        Assert.Equal(PayoutDriver.Yuan(benefit), run.GetProperty("benefitAmount").GetDecimal());
        Assert.Equal(PayoutDriver.Yuan(benefit), run.GetProperty("totalAmount").GetDecimal());
        Assert.Equal(PayoutDriver.Yuan(medical), run.GetProperty("medicalContribution").GetDecimal());
        Assert.Equal(0m, run.GetProperty("deducted").GetDecimal());

        var payments = await _d.PaymentsAsync(wang);
        Assert.Equal(months, payments.Select(p => p.GetProperty("period").GetString()));
        Assert.All(payments, p => Assert.Equal("sent", p.GetProperty("status").GetString()));
        Assert.Equal(PayoutDriver.Yuan(_d.Amounts("460200", "2026-11").BenefitFen), payments[1].GetProperty("amount").GetDecimal());
    }

    [Fact]
    public async Task Each_city_gets_a_bank_file_with_the_card_account_name_amount_and_reference()
    {
        var wang = await _d.ApproveAsync(Wang);
        await _d.ApproveAsync(Zhou);
        await _d.TodayAsync(2026, 11, 1);
        var run = await _d.RunAsync("2026-11");
        var runId = run.GetProperty("runId").GetString()!;

        Assert.Equal(["460200", "460400"], run.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("cityCode").GetString()));
        var sanya = await _d.BankFileAsync(runId, "460200");
        Assert.Equal(["reference", "account", "name", "amount", "memo"], sanya[0]);
        var references = (await _d.PaymentsAsync(wang)).Select(p => p.GetProperty("paymentId").GetString()).ToList();
        Assert.Equal(references.Order(), sanya.Skip(1).Select(r => r[0]).Order());
        Assert.All(sanya.Skip(1), row =>
        {
            Assert.Equal(Wang.Account, row[1]);
            Assert.Equal(Wang.Name, row[2]);
        });
        Assert.Equal(PayoutDriver.Yuan(_d.Amounts("460200", "2026-11").BenefitFen).ToString("0.00"), sanya.Single(r => r[4] == "2026年11月失业保险金")[3]);
        var file = run.GetProperty("files").EnumerateArray().First();
        Assert.Equal(2, file.GetProperty("payments").GetInt64());
        // The path is the run's own: another run of the month, or a database restored or replaced beside the same
        // archive, never meets this run's file.
        Assert.Equal($"payouts/2026-11/{runId}/460200.csv", file.GetProperty("path").GetString());

        // The file is in the archive, and downloading it is a reveal of full card accounts on the audit trail.
        Assert.True(File.Exists(Path.Combine(_d.App.Store.Folder, "archive", "payouts", "2026-11", runId, "460200.csv")));
        await using var database = new Storage.Database(_d.App.Store.Kind == Store.Postgres ? Storage.DatabaseProvider.Postgres : Storage.DatabaseProvider.Sqlite,
            _d.App.Store.ConnectionString);
        await using var connection = await database.OpenAsync();
        Assert.Equal(1L, await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection,
            "SELECT COUNT(DISTINCT application_id) FROM personal_data_reveals WHERE actor = 'admin' AND reason LIKE '%payouts/2026-11/' || @runId || '/460200.csv'", new { runId }));
    }

    [Fact]
    public async Task A_runs_totals_reconcile_with_its_ledger_entries_to_the_fen()
    {
        await _d.ApproveAsync(Wang);
        await _d.ApproveAsync(Li);
        await _d.ApproveAsync(Zhou);
        await _d.TodayAsync(2026, 11, 1);
        var run = await _d.RunAsync("2026-11");
        var runId = run.GetProperty("runId").GetString()!;

        decimal Sum(string account, string side) => new[] { "460200", "460400" }.Sum(city =>
            _d.Admin.GetJsonAsync($"/api/v1/admin/funds/{city}/movements?runId={runId}").Result.EnumerateArray()
                .SelectMany(m => m.GetProperty("lines").EnumerateArray())
                .Where(l => l.GetProperty("account").GetString() == account).Sum(l => l.GetProperty(side).GetDecimal()));

        Assert.Equal(run.GetProperty("benefitAmount").GetDecimal(), Sum(Accounts.BenefitExpense, "debit"));
        Assert.Equal(run.GetProperty("medicalContribution").GetDecimal(), Sum(Accounts.MedicalContributionExpense, "debit"));
        Assert.Equal(run.GetProperty("medicalContribution").GetDecimal(), Sum(Accounts.PayableToMedicalFund, "credit"));
        Assert.Equal(run.GetProperty("totalAmount").GetDecimal(), Sum(Accounts.PayableToBank, "credit"));
        Assert.Equal(run.GetProperty("files").EnumerateArray().Sum(f => f.GetProperty("amount").GetDecimal()), Sum(Accounts.PayableToBank, "credit"));

        var sanya = await _d.FundAsync("460200");
        var expected = 2 * PayoutDriver.Yuan(_d.Amounts("460200", "2026-10").BenefitFen + _d.Amounts("460200", "2026-11").BenefitFen);
        Assert.Equal(expected, sanya[Accounts.BenefitExpense].Balance);
        Assert.Equal(expected, sanya[Accounts.PayableToBank].Balance);
        Assert.Equal(0m, sanya[Accounts.BankPayments].Balance);
    }

    [Fact]
    public async Task Asking_for_a_month_already_run_returns_that_run_and_pays_nothing_twice()
    {
        var wang = await _d.ApproveAsync(Wang);
        await _d.TodayAsync(2026, 11, 1);
        var first = await _d.RunAsync("2026-11");

        var again = await _d.Admin.PostJsonAsync("/api/v1/admin/payout-runs", new { period = "2026-11" });

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var existing = await again.JsonAsync();
        Assert.Equal(first.GetProperty("runId").GetString(), existing.GetProperty("runId").GetString());
        Assert.Equal("completed", existing.GetProperty("status").GetString());
        Assert.EndsWith(first.GetProperty("runId").GetString()!, again.Headers.Location!.ToString());
        Assert.Equal(2, (await _d.PaymentsAsync(wang)).Count);
        Assert.Equal(first.GetProperty("totalAmount").GetDecimal(),
            (await _d.WaitForRunAsync(first.GetProperty("runId").GetString()!)).GetProperty("totalAmount").GetDecimal());
    }

    [Theory]
    [InlineData("2026-12")]
    [InlineData("2026-13")]
    [InlineData("11-2026")]
    [InlineData("")]
    [InlineData(null)]
    public async Task A_malformed_or_future_month_is_a_validation_problem_naming_the_period(string? period)
    {
        await _d.TodayAsync(2026, 11, 1);

        var response = await _d.Admin.PostJsonAsync("/api/v1/admin/payout-runs", new { period });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("period", out _));
    }

    [Theory]
    [InlineData("1999-01")]
    [InlineData("2023-12")]
    public async Task A_month_before_the_provinces_first_benefit_standard_is_refused_and_leaves_no_run(string period)
    {
        await _d.TodayAsync(2026, 11, 1);

        var response = await _d.Admin.PostJsonAsync("/api/v1/admin/payout-runs", new { period });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.Contains("2024-01", errors.GetProperty("period")[0].GetString());
        var runs = await _d.Admin.GetJsonAsync("/api/v1/admin/payout-runs");
        Assert.DoesNotContain(runs.EnumerateArray(), r => r.GetProperty("period").GetString() == period);
    }

    [Fact]
    public async Task Only_administrators_start_runs_and_a_broken_body_is_a_400()
    {
        using var reviewer = await _d.App.StaffAsync("460200-01-r1");
        Assert.Equal(HttpStatusCode.Forbidden, (await reviewer.PostJsonAsync("/api/v1/admin/payout-runs", new { period = "2026-10" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _d.App.Anonymous.PostJsonAsync("/api/v1/admin/payout-runs", new { period = "2026-10" })).StatusCode);
        var broken = await _d.Admin.PostAsync("/api/v1/admin/payout-runs", new StringContent("{\"period\":", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _d.Admin.GetAsync("/api/v1/admin/payout-runs/nope")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _d.Admin.GetAsync("/api/v1/admin/funds/999999")).StatusCode);
    }
}

public sealed class PayoutRunOnSqlite() : PayoutRunSpec(Store.Sqlite);

public sealed class PayoutRunOnPostgres() : PayoutRunSpec(Store.Postgres);
