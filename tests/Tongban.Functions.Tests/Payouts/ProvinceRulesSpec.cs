using System.Net;
using System.Text.Json.Nodes;
using Tongban.Tests.Infrastructure;

namespace Tongban.Tests.Payouts;

/// <summary>Payouts under province rules other than the shipped Hainan defaults, each from its own province file.</summary>
public abstract class ProvinceRulesSpec(Store store) : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tongban-province-").FullName;
    private PayoutDriver? _d;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_d is not null) await _d.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<PayoutDriver> StartAsync(string province, Action<JsonNode> change)
    {
        _d = await PayoutDriver.StartAsync(store, new DateTimeOffset(2026, 10, 20, 9, 0, 0, PayoutDriver.China),
            $"--Province:Name={ProvinceFiles.Write(_folder, province, change)}");
        await _d.ScheduledRunAsync("2026-10");
        return _d;
    }

    [Fact]
    public async Task A_raised_standard_is_paid_from_its_month_to_everyone_already_receiving()
    {
        var d = await StartAsync("hainan", p => ProvinceFiles.City(p, "460200")["standards"]!.AsArray()
            .Add(new JsonObject { ["effectiveFrom"] = "2026-12-01", ["monthly"] = 1960.00m }));
        var wang = new Person(41, "王海", "460200", "460200");
        await d.ImportAsync(wang.Spell());
        var id = await d.ApproveAsync(wang);
        var fixedAt = (await d.EntitlementAsync(id)).GetProperty("monthlyAmount").GetDecimal();

        await d.TodayAsync(2026, 11, 1);
        await d.RunAsync("2026-11");
        await d.TodayAsync(2026, 12, 1);
        var december = await d.RunAsync("2026-12");

        Assert.Equal(1960.00m, december.GetProperty("benefitAmount").GetDecimal());
        Assert.Equal([fixedAt, fixedAt, 1960.00m], (await d.PaymentsAsync(id)).Select(p => p.GetProperty("amount").GetDecimal()));
    }

    [Fact]
    public async Task When_the_last_month_is_paid_the_application_is_completed_and_the_applicant_told()
    {
        // Two months of benefit for a year of contributions: October and November.
        var d = await StartAsync("hainan", p => p["duration"]!["steps"] = new JsonArray(
            new JsonObject { ["minContributionMonths"] = 12, ["benefitMonths"] = 2 }));
        var wang = new Person(42, "王海", "460200", "460200");
        await d.ImportAsync(wang.Spell());
        var id = await d.ApproveAsync(wang);
        Assert.Equal("2026-11", (await d.EntitlementAsync(id)).GetProperty("endMonth").GetString());

        await d.TodayAsync(2026, 11, 1);
        var november = await d.RunAsync("2026-11");
        Assert.Equal("approved", (await d.App.Portal.GetJsonAsync($"/api/v1/applications/{id}")).GetProperty("status").GetString());
        await d.AllPaidAsync(november);

        var application = await d.App.Portal.GetJsonAsync($"/api/v1/applications/{id}");
        Assert.Equal("completed", application.GetProperty("status").GetString());
        Assert.Equal("completed", application.GetProperty("history").EnumerateArray().Last().GetProperty("type").GetString());
        Assert.Contains("2个月已全部发放完毕", (await d.SmsAsync(id, "completed")).Single().GetProperty("body").GetString());
        await d.TodayAsync(2026, 12, 1);
        Assert.Equal(0, (await d.RunAsync("2026-12")).GetProperty("payments").GetInt64());
        // Completed, the claim no longer blocks a new one.
        var again = await d.App.Portal.SubmitAsync(new
        {
            serviceItem = "unemployment-benefit", channel = "online",
            applicant = new { idNumber = wang.IdNumber, name = wang.Name, mobile = wang.Mobile },
        });
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
    }

    [Fact]
    public async Task The_application_is_not_completed_while_an_earlier_month_waits_to_be_reissued()
    {
        var d = await StartAsync("hainan", p => p["duration"]!["steps"] = new JsonArray(
            new JsonObject { ["minContributionMonths"] = 12, ["benefitMonths"] = 2 }));
        var wang = new Person(44, "王海", "460200", "460200");
        await d.ImportAsync(wang.Spell());
        var id = await d.ApproveAsync(wang);
        await d.TodayAsync(2026, 11, 1);
        var november = await d.RunAsync("2026-11");
        var payments = await d.PaymentsAsync(id);
        string Ref(string period) => payments.Single(p => p.GetProperty("period").GetString() == period).GetProperty("paymentId").GetString()!;

        await d.ReturnsAsync(november.GetProperty("runId").GetString()!,
            $"reference,status,reason\n{Ref("2026-10")},returned,账户已冻结\n{Ref("2026-11")},paid,\n");

        // November, the last month, is paid; October is still owed and waits for its reissue.
        Assert.Equal("approved", (await d.App.Portal.GetJsonAsync($"/api/v1/applications/{id}")).GetProperty("status").GetString());
        await d.TodayAsync(2026, 12, 1);
        var december = await d.RunAsync("2026-12");
        Assert.Equal("approved", (await d.App.Portal.GetJsonAsync($"/api/v1/applications/{id}")).GetProperty("status").GetString());
        await d.AllPaidAsync(december);
        Assert.Equal("completed", (await d.App.Portal.GetJsonAsync($"/api/v1/applications/{id}")).GetProperty("status").GetString());
        Assert.Single(await d.SmsAsync(id, "completed"));
    }

    [Fact]
    public async Task Where_the_stop_month_is_not_paid_it_is_overpaid_and_carried_over_instead()
    {
        var d = await StartAsync("hebei", _ => { });
        Assert.Equal(Domain.Payouts.PartialMonthRule.StopMonthNotPaid, d.Province.Payouts.PartialMonth);
        var zhang = new Person(43, "张伟", "130100", "130100");
        await d.ImportAsync(zhang.Spell());
        var id = await d.ApproveAsync(zhang);
        var months = (await d.EntitlementAsync(id)).GetProperty("months").GetInt32();
        await d.TodayAsync(2026, 11, 1);
        await d.AllPaidAsync(await d.RunAsync("2026-11"));
        await d.TodayAsync(2026, 11, 25);

        using var staff = await d.App.StaffAsync("130200-01-r1");
        Assert.Equal(HttpStatusCode.OK, (await staff.PostJsonAsync($"/api/v1/applications/{id}/events", new { type = "reemployed", date = "2026-11-20" })).StatusCode);

        Assert.Equal(["paid", "overpaid"], (await d.PaymentsAsync(id)).Select(p => p.GetProperty("status").GetString()));
        var recovery = Assert.Single((await d.Admin.GetJsonAsync($"/api/v1/admin/recovery-cases?applicationId={id}")).EnumerateArray());
        Assert.Equal("2026-11", recovery.GetProperty("period").GetString());
        Assert.Equal(PayoutDriver.Yuan(d.Amounts("130100", "2026-11").BenefitFen), recovery.GetProperty("amount").GetDecimal());

        // Only October was used: November comes back with the rest on the next claim, once the new job ended.
        await d.ImportAsync(zhang.Spell(), zhang.Spell(start: "2026-11", end: "2026-11", reason: "employer-closed"));
        var again = await d.ApproveAsync(zhang);
        Assert.Equal(months - 1, (await d.EntitlementAsync(again)).GetProperty("months").GetInt32());
    }
}

public sealed class ProvinceRulesOnSqlite() : ProvinceRulesSpec(Store.Sqlite);

public sealed class ProvinceRulesOnPostgres() : ProvinceRulesSpec(Store.Postgres);
