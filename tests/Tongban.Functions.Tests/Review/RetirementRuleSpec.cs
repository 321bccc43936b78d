using System.Net;
using System.Text.Json;
using Dapper;
using Tongban.Applications;
using Tongban.Storage;
using Tongban.Tests.Infrastructure;
using Tongban.Tests.Payouts;
using Tongban.Verification;

namespace Tongban.Tests.Review;

/// <summary>
/// Entitlements fixed before the statutory retirement age was applied (rows of earlier versions, which migration 0007
/// marks) are brought under it: continued to the age (续发) or ending at it, and stopped when the day has passed.
/// Each case approves a claim under the rule, then puts back the entitlement an earlier version fixed and marks it.
/// </summary>
public abstract class RetirementRuleSpec(Store store) : IAsyncLifetime
{
    private PayoutDriver _d = null!;

    public async ValueTask InitializeAsync()
    {
        _d = await PayoutDriver.StartAsync(store, new DateTimeOffset(2026, 10, 20, 9, 0, 0, PayoutDriver.China));
        await _d.ScheduledRunAsync("2026-10");
    }

    public async ValueTask DisposeAsync() => await _d.DisposeAsync();

    /// <summary>A man (odd <paramref name="n"/>: the sequence digit says the sex) born in <paramref name="birth"/>, insured at Haikou 2016-01 to 2026-08 (24 months of benefit), approved today.</summary>
    private async Task<(string Id, Domain.Entitlements.StatutoryRetirement Retirement)> ApproveAsync(int n, string birth)
    {
        var idNumber = People.IdNumber(n, birth: birth);
        await _d.ImportAsync(People.Spell(idNumber, Name(n), "460100", n, "2016-01", "2026-08", "contract-expired"));
        var response = await _d.App.Portal.SubmitAsync(People.Application(idNumber, Name(n)));
        var id = (await response.JsonAsync()).GetProperty("applicationId").GetString()!;
        await _d.App.Portal.WaitForStatusAsync(id, "first-review");
        using var haikou = await _d.App.StaffAsync("460100-01-r1");
        Assert.Equal(HttpStatusCode.OK, (await haikou.PostJsonAsync($"/api/v1/applications/{id}/first-review", new { decision = "approve" })).StatusCode);
        var assigned = (await haikou.GetJsonAsync($"/api/v1/applications/{id}")).GetProperty("assignedOffice").GetString();
        using var final = await _d.App.StaffAsync($"{assigned}-r2");
        Assert.Equal(HttpStatusCode.OK, (await final.PostJsonAsync($"/api/v1/applications/{id}/final-review", new { decision = "approve" })).StatusCode);
        return (id, ClaimFactsLoader.Retirement(idNumber, _d.Province));
    }

    private static string Name(int n) => "林" + "一二三四五六七八九"[n - 1];

    /// <summary>What an earlier version stored: the months granted from the start month, whatever the person's age.</summary>
    private async Task FixedBeforeTheRuleAsync(string id, int months, string endMonth)
    {
        await using var connection = await _d.App.Services.GetRequiredService<Database>().OpenAsync();
        await connection.ExecuteAsync(
            "UPDATE applications SET entitlement_months = @months, end_month = @endMonth, retirement_rule_pending = 1 WHERE id = @id",
            new { id, months, endMonth });
    }

    private Task<int> ApplyRuleAsync() => _d.App.Services.GetRequiredService<RetirementRule>().ApplyPendingAsync(CancellationToken.None);

    /// <summary>The application's SMS of one template, queued or sent (the start-up rule leaves them to the delivery sweep).</summary>
    private async Task<string> SmsBodyAsync(string id, string template) =>
        (await _d.Admin.GetJsonAsync($"/api/v1/admin/notifications?applicationId={id}")).EnumerateArray()
        .Single(s => s.GetProperty("template").GetString() == template).GetProperty("body").GetString()!;

    private async Task<JsonElement> ApplicationAsync(string id) => await _d.App.Portal.GetJsonAsync($"/api/v1/applications/{id}");

    [Fact]
    public async Task An_entitlement_ending_less_than_a_year_before_retirement_is_continued_to_it_without_an_application()
    {
        // Born August 1967: the age (60 years 8 months) is reached in April 2028.
        var (id, retirement) = await ApproveAsync(5, "19670815");
        await FixedBeforeTheRuleAsync(id, 12, "2027-09");

        Assert.Equal(1, await ApplyRuleAsync());

        var entitlement = (await ApplicationAsync(id)).GetProperty("entitlement");
        Assert.Equal((12, retirement.Month.ToString()), (entitlement.GetProperty("months").GetInt32(), entitlement.GetProperty("endMonth").GetString()));
        Assert.Equal(retirement.Month.MonthsSinceInclusive(new Domain.YearMonth(2027, 10)), entitlement.GetProperty("continuedMonths").GetInt32());
        Assert.Contains($"续发至{retirement.Month.Year}年{retirement.Month.Month}月", await SmsBodyAsync(id, "retirement-adjusted"));
        Assert.Contains("entitlement-adjusted", (await ApplicationAsync(id)).GetProperty("history").EnumerateArray().Select(h => h.GetProperty("type").GetString()));
        Assert.Equal(0, await ApplyRuleAsync());
    }

    [Fact]
    public async Task An_entitlement_running_past_the_retirement_age_stops_at_it_and_what_was_paid_beyond_is_recovered()
    {
        // Born December 1966: the age (60 years 6 months) is reached in June 2027; an earlier version granted 24 months.
        var (id, retirement) = await ApproveAsync(9, "19661215");
        await FixedBeforeTheRuleAsync(id, 24, "2028-09");
        await _d.TodayAsync(2027, 7, 1);
        await _d.RunAsync("2027-07");

        Assert.Equal(1, await ApplyRuleAsync());

        var application = await ApplicationAsync(id);
        Assert.Equal("terminated", application.GetProperty("status").GetString());
        var payments = await _d.PaymentsAsync(id);
        Assert.Equal("overpaid", payments.Single(p => p.GetProperty("period").GetString() == "2027-07").GetProperty("status").GetString());
        Assert.True(retirement.Month < new Domain.YearMonth(2027, 7));
        Assert.Contains("开始领取基本养老金", await SmsBodyAsync(id, "stopped"));
    }

    [Fact]
    public async Task An_entitlement_running_past_a_retirement_age_still_ahead_ends_at_its_month()
    {
        var (id, retirement) = await ApproveAsync(7, "19661215");
        await FixedBeforeTheRuleAsync(id, 24, "2028-09");

        Assert.Equal(1, await ApplyRuleAsync());

        var entitlement = (await ApplicationAsync(id)).GetProperty("entitlement");
        Assert.Equal(retirement.Month.ToString(), entitlement.GetProperty("endMonth").GetString());
        Assert.Equal("approved", (await ApplicationAsync(id)).GetProperty("status").GetString());
        Assert.Contains($"发放至{retirement.Month.Year}年{retirement.Month.Month}月止", await SmsBodyAsync(id, "retirement-adjusted"));
    }
}

public sealed class RetirementRuleOnSqlite() : RetirementRuleSpec(Store.Sqlite);

public sealed class RetirementRuleOnPostgres() : RetirementRuleSpec(Store.Postgres);
