using System.Net;
using System.Text.Json;
using Tongban.Domain.Reporting;
using Tongban.Tests.Infrastructure;
using Tongban.Tests.Payouts;

namespace Tongban.Tests.Dashboard;

/// <summary>
/// The dashboard's figures from a known set of applications, on SQLite and on PostgreSQL: five applications received on
/// Monday 2 November 2026 — two decided by automatic verification that day, one approved and one rejected by reviewers
/// on Thursday the 5th, one left in first review — and the month's payout. Every expected figure is derived from that
/// set and the province's own calendar and deadline.
/// </summary>
public abstract class DashboardSpec(Store store) : IAsyncLifetime
{
    private const string Haikou = "460100";
    private const string Sanya = "460200";
    private static readonly DateOnly Received = new(2026, 11, 2);
    private static readonly DateOnly Reviewed = new(2026, 11, 5);

    private PayoutDriver _d = null!;
    private string _approved = "";

    /// <summary>What the test submitted: channel, the city the case counts for (null: none), and how it ended.</summary>
    private readonly List<(string Channel, string? City, string Outcome)> _cases = [];

    public async ValueTask InitializeAsync() =>
        _d = await PayoutDriver.StartAsync(store, new DateTimeOffset(2026, 11, 2, 9, 0, 0, PayoutDriver.China));

    public async ValueTask DisposeAsync() => await _d.DisposeAsync();

    private async Task<string> SubmitAsync(Person person, string channel, string? city, string outcome, string status)
    {
        var response = await _d.App.Portal.SubmitAsync(new
        {
            serviceItem = "unemployment-benefit", channel, acceptingOffice = channel == "counter" ? "460100-01" : null,
            applicant = new { idNumber = person.IdNumber, name = person.Name, mobile = person.Mobile },
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.JsonAsync()).GetProperty("applicationId").GetString()!;
        await _d.App.Portal.WaitForStatusAsync(id, status);
        _cases.Add((channel, city, outcome));
        return id;
    }

    /// <summary>Receives the five applications on the 2nd, reviews two on the 5th, and pays November.</summary>
    private async Task<JsonElement> ArrangeAsync()
    {
        Person approved = new(601, "林一", Haikou, "460100"), rejected = new(602, "陈二", Haikou, "460100"),
            resigned = new(603, "符三", Haikou, "460100"), waiting = new(604, "吴四", Sanya, "460200"), unknown = new(605, "王五", Haikou, "460100");
        await _d.ImportAsync(approved.Spell(), rejected.Spell(), resigned.Spell(reason: "resigned"), waiting.Spell());

        var toApprove = _approved = await SubmitAsync(approved, "counter", Haikou, "approved", "first-review");
        var toReject = await SubmitAsync(rejected, "online", Haikou, "first-review", "first-review");
        await SubmitAsync(resigned, "counter", Haikou, "voluntary-separation", "rejected");
        await SubmitAsync(waiting, "counter", Sanya, "open", "first-review");
        await SubmitAsync(unknown, "online", null, "identity-not-found", "rejected");

        await _d.TodayAsync(Reviewed.Year, Reviewed.Month, Reviewed.Day);
        using (var first = await _d.App.StaffAsync("460100-01-r1"))
        {
            Assert.Equal(HttpStatusCode.OK, (await first.PostJsonAsync($"/api/v1/applications/{toApprove}/first-review", new { decision = "approve" })).StatusCode);
            var assigned = (await first.GetJsonAsync($"/api/v1/applications/{toApprove}")).GetProperty("assignedOffice").GetString();
            using var final = await _d.App.StaffAsync($"{assigned}-r2");
            Assert.Equal(HttpStatusCode.OK, (await final.PostJsonAsync($"/api/v1/applications/{toApprove}/final-review", new { decision = "approve" })).StatusCode);
        }
        var office = (await _d.App.Portal.GetJsonAsync($"/api/v1/applications/{toReject}")).GetProperty("assignedOffice").GetString();
        using (var reviewer = await _d.App.StaffAsync($"{office}-r1"))
            Assert.Equal(HttpStatusCode.OK, (await reviewer.PostJsonAsync($"/api/v1/applications/{toReject}/first-review",
                new { decision = "reject", opinion = "离职证明与登记不符" })).StatusCode);
        return await _d.RunAsync("2026-11");
    }

    private DecisionTimeliness Expected(IEnumerable<(string Channel, string? City, string Outcome)> cases)
    {
        var decided = cases.Where(c => c.Outcome != "open")
            .Select(c => new DecisionDays(Received, c.Outcome is "approved" or "first-review" ? Reviewed : Received, 1));
        return DecisionTimeliness.Of(decided, _d.Province.Calendar, _d.Province.Deadlines.DecisionWorkingDays);
    }

    private static void AssertFigures(JsonElement dashboard, List<(string Channel, string? City, string Outcome)> cases, DecisionTimeliness timeliness)
    {
        var applications = dashboard.GetProperty("applications");
        Assert.Equal(cases.Count, applications.GetProperty("total").GetInt32());
        Assert.Equal(cases.Count(c => c.Channel == "online"), applications.GetProperty("online").GetInt32());
        Assert.Equal(cases.Count(c => c.Channel == "counter"), applications.GetProperty("counter").GetInt32());
        Assert.Equal((double)cases.Count(c => c.Channel == "online") / cases.Count, applications.GetProperty("onlineShare").GetDouble(), 6);

        var monthly = dashboard.GetProperty("monthly").EnumerateArray().ToList();
        Assert.Equal(["2026-10", "2026-11"], monthly.Select(m => m.GetProperty("month").GetString()));
        Assert.Equal(0, monthly[0].GetProperty("total").GetInt32());
        Assert.Equal(cases.Count(c => c.Channel == "online"), monthly[1].GetProperty("online").GetInt32());
        Assert.Equal(cases.Count(c => c.Channel == "counter"), monthly[1].GetProperty("counter").GetInt32());

        var decisions = dashboard.GetProperty("decisions");
        Assert.Equal(cases.Count(c => c.Outcome != "open"), decisions.GetProperty("decided").GetInt32());
        Assert.Equal(cases.Count(c => c.Outcome == "approved"), decisions.GetProperty("approved").GetInt32());
        Assert.Equal(cases.Count(c => c.Outcome is not ("open" or "approved")), decisions.GetProperty("rejected").GetInt32());
        Assert.Equal(timeliness.WithinDeadline, decisions.GetProperty("withinDeadline").GetInt64());
        Assert.Equal(timeliness.CompletionRate!.Value, decisions.GetProperty("completionRate").GetDouble(), 6);
        Assert.Equal(timeliness.AverageWorkingDays!.Value, decisions.GetProperty("averageWorkingDays").GetDouble(), 6);
        var reasons = decisions.GetProperty("rejectionsByReason").EnumerateArray()
            .ToDictionary(r => r.GetProperty("reason").GetString()!, r => r.GetProperty("count").GetInt32());
        var expectedReasons = cases.Where(c => c.Outcome is not ("open" or "approved")).GroupBy(c => c.Outcome).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(expectedReasons.OrderBy(r => r.Key), reasons.OrderBy(r => r.Key));
    }

    [Fact]
    public async Task The_province_figures_count_every_application_received_and_decided_in_the_period()
    {
        var run = await ArrangeAsync();

        var dashboard = await _d.Admin.GetJsonAsync("/api/v1/dashboard?from=2026-10&to=2026-11");

        Assert.Equal(JsonValueKind.Null, dashboard.GetProperty("city").ValueKind);
        var timeliness = Expected(_cases);
        Assert.True(timeliness.AverageWorkingDays > 0, "two cases were decided days after receipt");
        AssertFigures(dashboard, _cases, timeliness);
        var november = dashboard.GetProperty("payments").EnumerateArray().Single(p => p.GetProperty("month").GetString() == "2026-11");
        var files = run.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(1, november.GetProperty("payments").GetInt32());
        Assert.Equal(files.Sum(f => f.GetProperty("amount").GetDecimal()), november.GetProperty("amount").GetDecimal());
        Assert.Equal((await _d.EntitlementAsync(_approved)).GetProperty("monthlyAmount").GetDecimal(), november.GetProperty("amount").GetDecimal());
    }

    [Fact]
    public async Task A_supervisor_sees_their_own_city_only_and_a_reviewer_no_dashboard()
    {
        await ArrangeAsync();
        using var supervisor = await _d.App.StaffAsync("460100-sup");

        var dashboard = await supervisor.GetJsonAsync("/api/v1/dashboard?from=2026-10&to=2026-11");

        Assert.Equal(Haikou, dashboard.GetProperty("city").GetString());
        var haikou = _cases.Where(c => c.City == Haikou).ToList();
        AssertFigures(dashboard, haikou, Expected(haikou));
        await supervisor.GetAsync($"/api/v1/dashboard?city={Sanya}", TestContext.Current.CancellationToken)
            .AssertRefusedAsync(HttpStatusCode.Forbidden, "not-city-supervisor");
        var sanya = await _d.Admin.GetJsonAsync($"/api/v1/dashboard?from=2026-11&to=2026-11&city={Sanya}");
        Assert.Equal(_cases.Count(c => c.City == Sanya), sanya.GetProperty("applications").GetProperty("total").GetInt32());
        Assert.Equal(0, sanya.GetProperty("decisions").GetProperty("decided").GetInt32());

        using var reviewer = await _d.App.StaffAsync("460100-01-r1");
        var refused = await reviewer.GetAsync("/api/v1/dashboard", TestContext.Current.CancellationToken);
        await refused.AssertRefusedAsync(HttpStatusCode.Forbidden, "dashboard-not-allowed");
    }

    [Fact]
    public async Task A_period_that_is_not_months_in_order_is_refused_naming_the_field()
    {
        var ct = TestContext.Current.CancellationToken;
        var openapi = await _d.App.Anonymous.GetJsonAsync("/openapi/v1.json");
        Assert.True(openapi.GetProperty("paths").TryGetProperty("/api/v1/dashboard", out _));
        foreach (var (query, field) in new[] { ("from=2026-13", "from"), ("to=November", "to"), ("from=2026-11&to=2026-10", "from"), ("from=2020-01&to=2026-11", "from"), ("city=999999", "city"),
                     ("to=9999-12", "to"), ("from=9999-12&to=9999-12", "to"), ("from=0001-01&to=0001-12", "from") })
        {
            var response = await _d.Admin.GetAsync($"/api/v1/dashboard?{query}", ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _), query);
        }
    }
}

public sealed class DashboardOnSqlite() : DashboardSpec(Store.Sqlite);

public sealed class DashboardOnPostgres() : DashboardSpec(Store.Postgres);
