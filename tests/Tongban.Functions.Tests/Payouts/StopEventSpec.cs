using System.Net;
using System.Text;
using System.Text.Json;
using Tongban.Domain.Ledger;
using Tongban.Tests.Infrastructure;

namespace Tongban.Tests.Payouts;

/// <summary>
/// Stop events against payments already made (Hainan: the stop month is paid). Wang is approved on 20 October 2026,
/// October and November are paid in November's run, December is sent to the bank in December's.
/// </summary>
public abstract class StopEventSpec(Store store) : IAsyncLifetime
{
    private static readonly Person Wang = new(31, "王海", "460200", "460200");
    private PayoutDriver _d = null!;
    private string _wang = "";
    private JsonElement _december;

    public async ValueTask InitializeAsync()
    {
        _d = await PayoutDriver.StartAsync(store, new DateTimeOffset(2026, 10, 20, 9, 0, 0, PayoutDriver.China));
        await _d.ScheduledRunAsync("2026-10");
        await _d.ImportAsync(Wang.Spell());
        _wang = await _d.ApproveAsync(Wang);
        await _d.TodayAsync(2026, 11, 1);
        await _d.AllPaidAsync(await _d.RunAsync("2026-11"));
        await _d.TodayAsync(2026, 12, 1);
        _december = await _d.RunAsync("2026-12");
        await _d.TodayAsync(2026, 12, 5);
    }

    public async ValueTask DisposeAsync() => await _d.DisposeAsync();

    private long Benefit(string period) => _d.Amounts("460200", period).BenefitFen;
    private long Medical(string period) => _d.Amounts("460200", period).MedicalFen;

    private async Task<HttpResponseMessage> ReportAsync(string type, string date, int? dependants = null)
    {
        // Reported at an office of another city (就近报告); a death by a relative.
        using var danzhou = await _d.App.StaffAsync("460400-01-r1");
        var reporter = type == "died" ? new { name = "王丽", relationship = "child", mobile = "13912345678" } : null;
        return await danzhou.PostJsonAsync($"/api/v1/applications/{_wang}/events", new { type, date, dependants, reporter });
    }

    private async Task<JsonElement> CaseAsync() =>
        Assert.Single((await _d.Admin.GetJsonAsync($"/api/v1/admin/recovery-cases?applicationId={_wang}")).EnumerateArray());

    [Fact]
    public async Task Reemployment_dated_before_a_paid_month_turns_that_payment_into_an_overpayment_with_a_recovery_case()
    {
        Assert.Equal(HttpStatusCode.OK, (await ReportAsync("reemployed", "2026-11-20")).StatusCode);

        var payments = await _d.PaymentsAsync(_wang);
        Assert.Equal(["paid", "paid", "overpaid"], payments.Select(p => p.GetProperty("status").GetString()));
        var recovery = await CaseAsync();
        Assert.Equal(payments[2].GetProperty("paymentId").GetString(), recovery.GetProperty("paymentId").GetString());
        Assert.Equal(PayoutDriver.Yuan(Benefit("2026-12")), recovery.GetProperty("amount").GetDecimal());
        Assert.Equal("repayment", recovery.GetProperty("method").GetString());
        Assert.Equal("重新就业", recovery.GetProperty("reason").GetString());
        Assert.Contains("2026年12月", (await _d.SmsAsync(_wang, "overpaid")).Single().GetProperty("body").GetString());

        // The books: December's benefit and its medical contribution were not due; the person owes the benefit back.
        var fund = await _d.FundAsync("460200");
        Assert.Equal(PayoutDriver.Yuan(Benefit("2026-12")), fund[Accounts.ReceivableFromRecipients].Balance);
        Assert.Equal(PayoutDriver.Yuan(Benefit("2026-10") + Benefit("2026-11")), fund[Accounts.BenefitExpense].Balance);
        Assert.Equal(PayoutDriver.Yuan(Medical("2026-10") + Medical("2026-11")), fund[Accounts.MedicalContributionExpense].Balance);
        Assert.Equal(PayoutDriver.Yuan(Medical("2026-10") + Medical("2026-11")), fund[Accounts.PayableToMedicalFund].Balance);
    }

    [Fact]
    public async Task An_overpayment_is_repaid_once_per_receipt_in_instalments_if_agreed_through_the_ledger()
    {
        await ReportAsync("reemployed", "2026-11-20");
        var caseId = (await CaseAsync()).GetProperty("caseId").GetString()!;
        var owed = PayoutDriver.Yuan(Benefit("2026-12"));
        var path = $"/api/v1/admin/recovery-cases/{caseId}";

        var first = await _d.Admin.PostJsonAsync(path + "/repayments", new { amount = 1000.00m, reference = "HK-2026-0001" });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(1000.00m, (await first.JsonAsync()).GetProperty("recovered").GetDecimal());
        await _d.Admin.PostJsonAsync(path + "/repayments", new { amount = 1000.00m, reference = "HK-2026-0001" })
            .AssertRefusedAsync(HttpStatusCode.Conflict, "repayment-already-recorded");
        var tooMuch = await _d.Admin.PostJsonAsync(path + "/repayments", new { amount = owed, reference = "HK-2026-0002" });
        Assert.Equal(HttpStatusCode.BadRequest, tooMuch.StatusCode);
        Assert.True((await tooMuch.JsonAsync()).GetProperty("errors").TryGetProperty("amount", out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await _d.Admin.PostJsonAsync(path + "/repayments", new { amount = 1.001m, reference = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _d.Admin.PostJsonAsync(path + "/repayments", new { amount = 1e20m, reference = "y" })).StatusCode);

        var plan = await (await _d.Admin.PostJsonAsync(path + "/instalments", new { instalments = 2 })).JsonAsync();
        Assert.Equal("instalments", plan.GetProperty("method").GetString());
        Assert.Equal(Math.Ceiling((owed - 1000.00m) * 100 / 2) / 100, plan.GetProperty("instalmentAmount").GetDecimal());
        Assert.Equal(HttpStatusCode.BadRequest, (await _d.Admin.PostJsonAsync(path + "/instalments", new { instalments = 1 })).StatusCode);

        var last = await (await _d.Admin.PostJsonAsync(path + "/repayments", new { amount = owed - 1000.00m, reference = "HK-2026-0003" })).JsonAsync();
        Assert.Equal("recovered", last.GetProperty("status").GetString());
        Assert.Equal(0m, last.GetProperty("outstanding").GetDecimal());
        Assert.Equal(["repayment", "instalments"], last.GetProperty("recoveries").EnumerateArray().Select(r => r.GetProperty("method").GetString()));
        await _d.Admin.PostJsonAsync(path + "/instalments", new { instalments = 2 }).AssertRefusedAsync(HttpStatusCode.Conflict, "recovery-case-not-open");

        var fund = await _d.FundAsync("460200");
        Assert.Equal(owed, fund[Accounts.BankRecoveries].Balance);
        Assert.Equal(0m, fund[Accounts.ReceivableFromRecipients].Balance);
        using var reviewer = await _d.App.StaffAsync("460200-01-r1");
        Assert.Equal(HttpStatusCode.Forbidden, (await reviewer.PostJsonAsync(path + "/repayments", new { amount = 1m, reference = "r" })).StatusCode);
    }

    [Fact]
    public async Task A_repayment_amount_or_instalments_written_as_a_string_is_a_400_naming_the_field_and_nothing_is_recorded()
    {
        await ReportAsync("reemployed", "2026-11-20");
        var caseId = (await CaseAsync()).GetProperty("caseId").GetString()!;

        foreach (var (endpoint, body, field, message) in new[]
                 {
                     ("repayments", """{"amount": "100.00", "reference": "HK-2026-0009"}""", "amount", "Must be a number of at most 28 digits."),
                     ("repayments", """{"amount": 1e308, "reference": "HK-2026-0009"}""", "amount", "Must be a number of at most 28 digits."),
                     ("instalments", """{"instalments": "3"}""", "instalments", "Must be a whole number of at most 9 digits."),
                     ("instalments", """{"instalments": 1.5}""", "instalments", "Must be a whole number of at most 9 digits."),
                 })
        {
            var response = await _d.Admin.PostAsync($"/api/v1/admin/recovery-cases/{caseId}/{endpoint}",
                new StringContent(body, Encoding.UTF8, "application/json"));

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(message, (await response.JsonAsync()).GetProperty("errors").GetProperty(field)[0].GetString());
        }
        var recovery = await CaseAsync();
        Assert.Equal(("repayment", 0m, 0), (recovery.GetProperty("method").GetString(), recovery.GetProperty("recovered").GetDecimal(),
            recovery.GetProperty("recoveries").GetArrayLength()));
        Assert.Equal(0m, (await _d.FundAsync("460200"))[Accounts.BankRecoveries].Balance);
    }

    [Fact]
    public async Task Money_the_bank_returns_for_an_overpayment_already_repaid_at_the_counter_is_a_refund_due_not_a_second_recovery()
    {
        await ReportAsync("reemployed", "2026-11-20");
        var caseId = (await CaseAsync()).GetProperty("caseId").GetString()!;
        var owed = PayoutDriver.Yuan(Benefit("2026-12"));
        Assert.Equal(HttpStatusCode.OK, (await _d.Admin.PostJsonAsync($"/api/v1/admin/recovery-cases/{caseId}/repayments",
            new { amount = owed, reference = "HK-2026-0101" })).StatusCode);

        var december = (await _d.PaymentsAsync(_wang)).Single(p => p.GetProperty("period").GetString() == "2026-12");
        var result = await _d.ReturnsAsync(_december.GetProperty("runId").GetString()!,
            $"reference,status,reason\n{december.GetProperty("paymentId").GetString()},returned,账户已销户\n");

        Assert.Equal(1, result.GetProperty("returned").GetInt32());
        var recovery = await CaseAsync();
        Assert.Equal(owed, recovery.GetProperty("recovered").GetDecimal());
        Assert.Equal("recovered", recovery.GetProperty("status").GetString());
        Assert.Equal(["repayment"], recovery.GetProperty("recoveries").EnumerateArray().Select(r => r.GetProperty("method").GetString()));
        var fund = await _d.FundAsync("460200");
        Assert.Equal(0m, fund[Accounts.ReceivableFromRecipients].Balance);
        Assert.Equal(owed, fund[Accounts.BankRecoveries].Balance);
        Assert.Equal(owed, fund[Accounts.RefundsDue].Balance);
    }

    [Fact]
    public async Task Unemployed_again_the_person_resumes_the_unused_months_and_the_overpayment_is_deducted_from_the_new_benefit()
    {
        await ReportAsync("reemployed", "2026-11-20");
        var months = (await _d.EntitlementAsync(_wang)).GetProperty("months").GetInt32();
        // The new job ended within days (verification refuses a person back in work until the registry shows that).
        await _d.ImportAsync(Wang.Spell(), Wang.Spell(start: "2026-11", end: "2026-11", reason: "employer-closed"));

        var again = await _d.ApproveAsync(Wang);

        // October and November were used (the stop month is paid); the rest carries over.
        var resumed = await _d.EntitlementAsync(again);
        Assert.Equal(months - 2, resumed.GetProperty("months").GetInt32());
        Assert.Equal("2026-12", resumed.GetProperty("startMonth").GetString());

        await _d.TodayAsync(2027, 1, 1);
        var january = await _d.RunAsync("2027-01");
        // December (back pay) and January of the new claim, each giving up to half to the debt, oldest payment first.
        var owed = Benefit("2026-12");
        var fromDecember = Math.Min(owed, Benefit("2026-12") / 2);
        var fromJanuary = Math.Min(owed - fromDecember, Benefit("2027-01") / 2);
        Assert.Equal(PayoutDriver.Yuan(fromDecember + fromJanuary), january.GetProperty("deducted").GetDecimal());
        var payments = await _d.PaymentsAsync(again);
        Assert.Equal([PayoutDriver.Yuan(fromDecember), PayoutDriver.Yuan(fromJanuary)], payments.Select(p => p.GetProperty("deducted").GetDecimal()));
        var file = await _d.BankFileAsync(january.GetProperty("runId").GetString()!, "460200");
        Assert.Equal(PayoutDriver.Yuan(Benefit("2026-12") - fromDecember).ToString("0.00"),
            file.Single(r => r[0] == payments[0].GetProperty("paymentId").GetString())[3]);

        var recovery = await CaseAsync();
        Assert.Equal(fromDecember + fromJanuary == owed ? "recovered" : "open", recovery.GetProperty("status").GetString());
        Assert.Equal(PayoutDriver.Yuan(fromDecember + fromJanuary), recovery.GetProperty("recovered").GetDecimal());
        Assert.Equal(PayoutDriver.Yuan(owed - fromDecember - fromJanuary), (await _d.FundAsync("460200"))[Accounts.ReceivableFromRecipients].Balance);
    }

    [Fact]
    public async Task A_new_claim_in_another_city_is_not_deducted_for_the_first_citys_overpayment()
    {
        await ReportAsync("reemployed", "2026-11-20");
        var haikou = new Person(31, "王海", "460100", "460200");
        await _d.ImportAsync(haikou.Spell(start: "2026-11", end: "2026-11"));
        var again = await _d.ApproveAsync(haikou);
        Assert.Equal("460100", (await _d.App.Portal.GetJsonAsync($"/api/v1/applications/{again}")).GetProperty("insuringCity").GetString());

        await _d.TodayAsync(2027, 1, 1);
        var january = await _d.RunAsync("2027-01");

        // Sanya's fund is owed; Haikou's fund pays Haikou's benefit in full and recovers nothing for another city's books.
        Assert.Equal(0m, january.GetProperty("deducted").GetDecimal());
        Assert.All(await _d.PaymentsAsync(again), p => Assert.Equal(0m, p.GetProperty("deducted").GetDecimal()));
        var recovery = await CaseAsync();
        Assert.Equal("open", recovery.GetProperty("status").GetString());
        Assert.Equal(0m, recovery.GetProperty("recovered").GetDecimal());
        Assert.Equal(PayoutDriver.Yuan(Benefit("2026-12")), (await _d.FundAsync("460200"))[Accounts.ReceivableFromRecipients].Balance);
        Assert.Equal(0m, (await _d.FundAsync("460100"))[Accounts.ReceivableFromRecipients].Balance);
    }

    [Fact]
    public async Task A_death_pays_the_month_of_death_and_opens_the_funeral_grant_and_survivors_pension_which_absorb_the_overpayment()
    {
        var response = await ReportAsync("died", "2026-11-15", dependants: 2);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var rules = _d.Province.Payouts;
        var pension = rules.SurvivorsPensionMonthsFor(2) * _d.Province.FindCity("460200")!.StandardOn(new DateOnly(2026, 11, 15))!.Value;
        var payments = await _d.PaymentsAsync(_wang);
        Assert.Equal([("2026-10", "benefit", "paid"), ("2026-11", "benefit", "paid"), ("2026-11", "funeral-grant", "scheduled"),
                ("2026-11", "survivors-pension", "scheduled"), ("2026-12", "benefit", "overpaid")],
            payments.Select(p => (p.GetProperty("period").GetString(), p.GetProperty("kind").GetString(), p.GetProperty("status").GetString())));
        Assert.Equal(PayoutDriver.Yuan(rules.FuneralGrantFen), payments.Single(p => p.GetProperty("kind").GetString() == "funeral-grant").GetProperty("amount").GetDecimal());
        Assert.Equal(PayoutDriver.Yuan(pension), payments.Single(p => p.GetProperty("kind").GetString() == "survivors-pension").GetProperty("amount").GetDecimal());
        // Netted in full against the death benefits when the death is reported: nobody is asked to repay.
        Assert.Equal("deduction", (await CaseAsync()).GetProperty("method").GetString());
        Assert.Equal("recovered", (await CaseAsync()).GetProperty("status").GetString());
        Assert.Contains($"抚恤金{PayoutDriver.Yuan(pension):0.00}元", (await _d.SmsAsync(_wang, "death-benefits")).Single().GetProperty("body").GetString());

        await _d.TodayAsync(2027, 1, 1);
        var january = await _d.RunAsync("2027-01");

        Assert.Equal(PayoutDriver.Yuan(rules.FuneralGrantFen + pension), january.GetProperty("deathBenefits").GetDecimal());
        Assert.Equal(PayoutDriver.Yuan(Benefit("2026-12")), january.GetProperty("deducted").GetDecimal());
        var fund = await _d.FundAsync("460200");
        Assert.Equal(PayoutDriver.Yuan(rules.FuneralGrantFen + pension), fund[Accounts.DeathBenefitExpense].Balance);
        Assert.Equal(0m, fund[Accounts.ReceivableFromRecipients].Balance);
    }

    [Fact]
    public async Task A_stop_cancels_a_reissue_not_yet_sent_and_releases_the_money_the_bank_returned()
    {
        var december = (await _d.PaymentsAsync(_wang)).Single(p => p.GetProperty("period").GetString() == "2026-12");
        await _d.ReturnsAsync(_december.GetProperty("runId").GetString()!,
            $"reference,status,reason\n{december.GetProperty("paymentId").GetString()},returned,账户已销户\n");

        Assert.Equal(HttpStatusCode.OK, (await ReportAsync("pension-started", "2026-11-30")).StatusCode);

        var payments = await _d.PaymentsAsync(_wang);
        Assert.Equal(["paid", "paid", "returned", "cancelled"], payments.Select(p => p.GetProperty("status").GetString()));
        Assert.Empty((await _d.Admin.GetJsonAsync($"/api/v1/admin/recovery-cases?applicationId={_wang}")).EnumerateArray());
        var fund = await _d.FundAsync("460200");
        Assert.Equal(0m, fund[Accounts.Returned].Balance);
        Assert.Equal(PayoutDriver.Yuan(Benefit("2026-10") + Benefit("2026-11")), fund[Accounts.BenefitExpense].Balance);
        Assert.Equal(PayoutDriver.Yuan(Medical("2026-10") + Medical("2026-11")), fund[Accounts.MedicalContributionExpense].Balance);
        await _d.TodayAsync(2027, 1, 1);
        Assert.Equal(0, (await _d.RunAsync("2027-01")).GetProperty("payments").GetInt64());
    }

    [Fact]
    public async Task A_stop_dated_before_the_benefit_began_is_a_400_and_changes_nothing()
    {
        var before = await _d.PaymentsAsync(_wang);

        var response = await ReportAsync("died", "1990-01-01");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("approved", (await _d.App.Portal.GetJsonAsync($"/api/v1/applications/{_wang}")).GetProperty("status").GetString());
        Assert.Equal(before.Select(p => p.GetProperty("status").GetString()),
            (await _d.PaymentsAsync(_wang)).Select(p => p.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task A_stop_with_several_bad_fields_is_one_400_naming_every_one_of_them_and_changes_nothing()
    {
        using var danzhou = await _d.App.StaffAsync("460400-01-r1");

        var response = await danzhou.PostJsonAsync($"/api/v1/applications/{_wang}/events", new
        {
            type = "retired", date = "2099-01-01", dependants = 2,
            reporter = new { name = "王丽", relationship = "child", mobile = "13912345678" },
            payee = new { bankAccount = "6217856100087654321" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(new Dictionary<string, string>
        {
            ["type"] = "Unknown event type 'retired'.",
            ["date"] = "The event date is in the future.",
            ["dependants"] = $"Only for type 'died': the number of dependants, 0 to {Domain.Claims.DeathReport.MaxDependants}.",
            ["reporter"] = "Only for type 'died'.",
            ["payee"] = "Only for type 'died'.",
        }, await ErrorsAsync(response));
        Assert.Equal("approved", (await _d.App.Portal.GetJsonAsync($"/api/v1/applications/{_wang}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_death_with_a_bad_date_and_no_reporter_is_one_400_naming_both()
    {
        using var danzhou = await _d.App.StaffAsync("460400-01-r1");

        var response = await danzhou.PostJsonAsync($"/api/v1/applications/{_wang}/events", new { type = "died", date = "2026-11-31" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(new Dictionary<string, string>
        {
            ["date"] = "Not a real date, as YYYY-MM-DD.",
            ["reporter"] = "Required for type 'died': the relative reporting the death (name, relationship, mobile).",
        }, await ErrorsAsync(response));
    }

    private static async Task<Dictionary<string, string>> ErrorsAsync(HttpResponseMessage response) =>
        (await response.JsonAsync()).GetProperty("errors").EnumerateObject()
        .ToDictionary(e => e.Name, e => Assert.Single(e.Value.EnumerateArray()).GetString()!);

    [Fact]
    public async Task Dependants_only_go_with_a_death()
    {
        var response = await ReportAsync("reemployed", "2026-11-20", dependants: 2);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("dependants", out _));
    }
}

public sealed class StopEventOnSqlite() : StopEventSpec(Store.Sqlite);

public sealed class StopEventOnPostgres() : StopEventSpec(Store.Postgres);
