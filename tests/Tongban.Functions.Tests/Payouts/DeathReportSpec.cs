using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Tongban.Domain.Ledger;
using Tongban.Storage;
using Tongban.Tests.Infrastructure;

namespace Tongban.Tests.Payouts;

/// <summary>
/// A death reported by the family (issue 10, item 6). Wang is approved on 20 October 2026, October and November are paid
/// in November's run, December is sent to the bank in December's; on 5 December his daughter reports that he died on
/// 15 November. Whatever follows is said to her, never to his mobile.
/// </summary>
public abstract class DeathReportSpec(Store store) : IAsyncLifetime
{
    private static readonly Person Wang = new(41, "王海", "460200", "460200");
    private const string DaughterMobile = "13912345678", FamilyAccount = "6222024061842962480";
    private PayoutDriver _d = null!;
    private string _wang = "";
    private long _reportedAfter;

    public async ValueTask InitializeAsync()
    {
        _d = await PayoutDriver.StartAsync(store, new DateTimeOffset(2026, 10, 20, 9, 0, 0, PayoutDriver.China));
        await _d.ScheduledRunAsync("2026-10");
        await _d.ImportAsync(Wang.Spell());
        _wang = await _d.ApproveAsync(Wang);
        await _d.TodayAsync(2026, 11, 1);
        await _d.AllPaidAsync(await _d.RunAsync("2026-11"));
        await _d.TodayAsync(2026, 12, 1);
        await _d.RunAsync("2026-12");
        await _d.TodayAsync(2026, 12, 5);
        _reportedAfter = (await NotificationsAsync()).Count;
    }

    public async ValueTask DisposeAsync() => await _d.DisposeAsync();

    private long Benefit(string period) => _d.Amounts("460200", period).BenefitFen;

    private async Task<HttpResponseMessage> ReportAsync(object body)
    {
        using var danzhou = await _d.App.StaffAsync("460400-01-r1");
        return await danzhou.PostJsonAsync($"/api/v1/applications/{_wang}/events", body);
    }

    private static object Death(int? dependants = 2, object? payee = null) => new
    {
        type = "died", date = "2026-11-15", dependants,
        reporter = new { name = "王丽", relationship = "child", mobile = "+86 139-1234-5678" }, payee,
    };

    private async Task<List<JsonElement>> NotificationsAsync() =>
        (await _d.Admin.GetJsonAsync($"/api/v1/admin/notifications?applicationId={_wang}")).EnumerateArray().ToList();

    /// <summary>Every SMS queued since the death was reported, once all are sent.</summary>
    private async Task<List<JsonElement>> SinceReportAsync(string lastTemplate)
    {
        await _d.SmsAsync(_wang, lastTemplate);
        return (await NotificationsAsync()).Skip((int)_reportedAfter).ToList();
    }

    private async Task<JsonElement> CaseAsync() =>
        Assert.Single((await _d.Admin.GetJsonAsync($"/api/v1/admin/recovery-cases?applicationId={_wang}")).EnumerateArray());

    [Fact]
    public async Task The_family_gets_one_condolence_message_and_the_overpaid_month_is_netted_from_the_survivors_pension()
    {
        Assert.Equal(HttpStatusCode.OK, (await ReportAsync(Death(payee: new { bankAccount = "6222 0240 6184 2962 480" }))).StatusCode);

        var rules = _d.Province.Payouts;
        var pension = rules.SurvivorsPensionMonthsFor(2) * _d.Province.FindCity("460200")!.StandardOn(new DateOnly(2026, 11, 15))!.Value;
        var december = Benefit("2026-12");
        var sms = Assert.Single(await SinceReportAsync("death-benefits"));
        Assert.Equal("death-benefits", sms.GetProperty("template").GetString());
        Assert.Equal("139****5678", sms.GetProperty("to").GetString());
        var body = sms.GetProperty("body").GetString()!;
        Assert.Contains($"丧葬补助金{PayoutDriver.Yuan(rules.FuneralGrantFen):0.00}元、抚恤金{PayoutDriver.Yuan(pension):0.00}元", body);
        Assert.Contains($"已扣多发{PayoutDriver.Yuan(december):0.00}元", body);
        Assert.Contains("尾号2480", body);
        var recovery = await CaseAsync();
        Assert.Equal("recovered", recovery.GetProperty("status").GetString());
        Assert.Equal("deduction", recovery.GetProperty("method").GetString());

        // January: the family's benefits go to the account they gave, in the holder's name, less the month overpaid.
        await _d.TodayAsync(2027, 1, 1);
        var january = await _d.RunAsync("2027-01");
        Assert.Equal(PayoutDriver.Yuan(december), january.GetProperty("deducted").GetDecimal());
        var lines = (await _d.BankFileAsync(january.GetProperty("runId").GetString()!, "460200")).Skip(1).ToList();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.Equal((FamilyAccount, "王丽"), (l[1], l[2])));
        Assert.Contains(lines, l => l[3] == $"{PayoutDriver.Yuan(pension - december):0.00}");
        Assert.Contains(lines, l => l[3] == $"{PayoutDriver.Yuan(rules.FuneralGrantFen):0.00}");

        // Paid: the family is told, and nothing at all has gone to Wang's own mobile since his death was reported.
        await _d.AllPaidAsync(january);
        var paid = await _d.SmsAsync(_wang, "paid-family");
        Assert.Equal(2, paid.Count);
        Assert.Contains(paid, s => s.GetProperty("body").GetString()!.Contains($"抚恤金{PayoutDriver.Yuan(pension - december):0.00}元"));
        var since = await SinceReportAsync("paid-family");
        Assert.All(since, s => Assert.Equal("139****5678", s.GetProperty("to").GetString()));
        Assert.DoesNotContain(since, s => s.GetProperty("template").GetString() is "stopped" or "overpaid" or "paid");
        Assert.Equal(0m, (await _d.FundAsync("460200"))[Accounts.ReceivableFromRecipients].Balance);
    }

    [Fact]
    public async Task What_the_death_benefits_cannot_cover_is_asked_of_the_family_not_of_the_deceased()
    {
        // No dependants: no survivors' pension, only the funeral grant to net the December benefit against.
        Assert.Equal(HttpStatusCode.OK, (await ReportAsync(Death(dependants: 0))).StatusCode);

        var grant = _d.Province.Payouts.FuneralGrantFen;
        var owed = Benefit("2026-12") - grant;
        var demand = Assert.Single(await _d.SmsAsync(_wang, "overpaid-family"));
        Assert.Equal("139****5678", demand.GetProperty("to").GetString());
        Assert.Contains($"尚需退还{PayoutDriver.Yuan(owed):0.00}元", demand.GetProperty("body").GetString());
        Assert.Contains("转入社保卡", (await _d.SmsAsync(_wang, "death-benefits")).Single().GetProperty("body").GetString());
        var since = await SinceReportAsync("overpaid-family");
        Assert.Equal(["death-benefits", "overpaid-family"], since.Select(s => s.GetProperty("template").GetString()).Order());
        var recovery = await CaseAsync();
        Assert.Equal(("open", "repayment"), (recovery.GetProperty("status").GetString(), recovery.GetProperty("method").GetString()));
        Assert.Equal(PayoutDriver.Yuan(owed), recovery.GetProperty("outstanding").GetDecimal());

        // January: the grant was set off in full, so the bank is sent nothing for it — no 0.00 line — and it is settled.
        await _d.TodayAsync(2027, 1, 1);
        var january = await _d.RunAsync("2027-01");
        var lines = (await _d.BankFileAsync(january.GetProperty("runId").GetString()!, "460200")).Skip(1).ToList();
        Assert.DoesNotContain(lines, l => l[3] == "0.00");
        var grantPayment = Assert.Single(await _d.PaymentsAsync(_wang), p => p.GetProperty("kind").GetString() != "benefit");
        Assert.Equal(("paid", PayoutDriver.Yuan(grant)), (grantPayment.GetProperty("status").GetString(), grantPayment.GetProperty("deducted").GetDecimal()));
    }

    [Fact]
    public async Task The_reporting_relative_and_the_familys_account_are_shown_masked_and_stored_encrypted()
    {
        await ReportAsync(Death(payee: new { name = "王小丽", bankAccount = FamilyAccount }));

        var death = (await _d.App.Portal.GetJsonAsync($"/api/v1/applications/{_wang}")).GetProperty("deathReport");
        Assert.Equal("2026-11-15", death.GetProperty("date").GetString());
        Assert.Equal(2, death.GetProperty("dependants").GetInt32());
        Assert.Equal(("王*", "child", "139****5678"), (death.GetProperty("reporter").GetProperty("name").GetString(),
            death.GetProperty("reporter").GetProperty("relationship").GetString(), death.GetProperty("reporter").GetProperty("mobile").GetString()));
        Assert.Equal(("王*", "***************2480"), (death.GetProperty("payee").GetProperty("name").GetString(),
            death.GetProperty("payee").GetProperty("bankAccount").GetString()));
        await using var connection = await _d.App.Services.GetRequiredService<Database>().OpenAsync();
        var stored = (await connection.QueryAsync<(string, string, string, string)>(
                "SELECT reporter_name_enc, reporter_mobile_enc, payee_name_enc, payee_account_enc FROM death_reports WHERE application_id = @id",
                new { id = _wang }))
            .Single();
        Assert.DoesNotContain(new[] { stored.Item1, stored.Item2, stored.Item3, stored.Item4 },
            v => v.Contains('王') || v.Contains(DaughterMobile) || v.Contains(FamilyAccount));
    }

    [Fact]
    public async Task An_account_the_family_gives_after_the_report_takes_the_next_bank_file()
    {
        using var office = await _d.App.StaffAsync("460200-01-r1");
        var path = $"/api/v1/applications/{_wang}/death-report/payee";
        Assert.Equal(HttpStatusCode.NotFound, (await office.PutAsJsonAsync(path, new { bankAccount = FamilyAccount })).StatusCode);
        await ReportAsync(Death());

        var bad = await office.PutAsJsonAsync(path, new { bankAccount = "6222-0240" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.JsonAsync()).GetProperty("errors").TryGetProperty("payee.bankAccount", out _));
        Assert.Equal(HttpStatusCode.NoContent, (await office.PutAsJsonAsync(path, new { name = "王小丽", bankAccount = FamilyAccount })).StatusCode);

        await _d.TodayAsync(2027, 1, 1);
        var january = await _d.RunAsync("2027-01");
        var lines = (await _d.BankFileAsync(january.GetProperty("runId").GetString()!, "460200")).Skip(1).ToList();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.Equal((FamilyAccount, "王小丽"), (l[1], l[2])));
        Assert.Equal(new string('*', FamilyAccount.Length - 4) + FamilyAccount[^4..],
            (await _d.App.Portal.GetJsonAsync($"/api/v1/applications/{_wang}")).GetProperty("deathReport").GetProperty("payee").GetProperty("bankAccount").GetString());
    }

    [Theory]
    [InlineData(null, "child", "13912345678", "reporter.name")]
    [InlineData("王丽", "friend", "13912345678", "reporter.relationship")]
    [InlineData("王丽", "child", "0571-8888888", "reporter.mobile")]
    public async Task A_death_report_with_a_missing_or_invalid_relative_field_is_a_400_naming_it_and_changes_nothing(
        string? name, string? relationship, string? mobile, string field)
    {
        var response = await ReportAsync(new { type = "died", date = "2026-11-15", reporter = new { name, relationship, mobile } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal("approved", (await _d.App.Portal.GetJsonAsync($"/api/v1/applications/{_wang}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_death_without_its_reporter_is_a_400_and_a_reporter_goes_with_a_death_only()
    {
        var missing = await ReportAsync(new { type = "died", date = "2026-11-15" });
        var misplaced = await ReportAsync(new { type = "reemployed", date = "2026-11-20", reporter = new { name = "王丽", relationship = "child", mobile = DaughterMobile } });

        Assert.True((await missing.JsonAsync()).GetProperty("errors").TryGetProperty("reporter", out _));
        Assert.True((await misplaced.JsonAsync()).GetProperty("errors").TryGetProperty("reporter", out _));
        Assert.Equal("approved", (await _d.App.Portal.GetJsonAsync($"/api/v1/applications/{_wang}")).GetProperty("status").GetString());
    }
}

public sealed class DeathReportOnSqlite() : DeathReportSpec(Store.Sqlite);

public sealed class DeathReportOnPostgres() : DeathReportSpec(Store.Postgres);
