using System.Net;
using System.Text.Json;
using Microsoft.DurableTask.Client;
using Tongban.CrossChecks;
using Tongban.Tests.Infrastructure;
using Tongban.Tests.Payouts;

namespace Tongban.Tests.CrossChecks;

/// <summary>
/// The monthly cross-province check against payments (Hainan: the stop month is paid). Wang, insured in Sanya, is approved
/// on 20 October 2026 (24 months from October); November's run pays October and November, December's run sends December
/// to the bank; on 5 December the comparison result comes back. Decisions wait far longer than a test runs
/// (<c>CrossChecks:DecisionWorkingDays</c>), so no durable timer escalates a match behind a test's back.
/// </summary>
public abstract class CrossCheckSpec(Store store) : IAsyncLifetime
{
    private static readonly Person Wang = new(61, "王海", "460200", "460200");
    private const string Reviewer = "460200-01-r1";
    private PayoutDriver _d = null!;
    private string _wang = "";

    public async ValueTask InitializeAsync()
    {
        (_d, _wang) = await CrossCheckDriver.StartWithRecipientAsync(store, Wang);
        await _d.TodayAsync(2026, 11, 1);
        await _d.AllPaidAsync(await _d.RunAsync("2026-11"));
        await _d.TodayAsync(2026, 12, 1);
        await _d.RunAsync("2026-12");
        await _d.TodayAsync(2026, 12, 5);
    }

    public async ValueTask DisposeAsync() => await _d.DisposeAsync();

    /// <summary>Insured in Guangdong since 20 November 2026, still: November onwards overlaps.</summary>
    private static string InsuredInGuangdong => CrossCheckDriver.Csv(CrossCheckDriver.Line(Wang, "广东省", "insured", "2026-11-20"));

    private async Task<JsonElement> MatchAsync(string status = "open") => Assert.Single(await _d.MatchesAsync(Reviewer, status));

    private async Task<List<string>> PeriodsAsync() =>
        (await _d.PaymentsAsync(_wang)).Select(p => p.GetProperty("period").GetString()!).Distinct().Order().ToList();

    [Fact]
    public async Task The_same_file_twice_changes_nothing()
    {
        var first = await _d.CrossChecksAsync(InsuredInGuangdong);
        var second = await _d.CrossChecksAsync(InsuredInGuangdong);

        Assert.Equal((1, 1, 1, 0), (first.GetProperty("lines").GetInt32(), first.GetProperty("matched").GetInt32(),
            first.GetProperty("suspended").GetInt32(), first.GetProperty("rejected").GetArrayLength()));
        Assert.Equal((1, 0, 1), (second.GetProperty("matched").GetInt32(), second.GetProperty("suspended").GetInt32(),
            second.GetProperty("alreadyMatched").GetInt32()));
        Assert.Equal(1, await _d.CountAsync("SELECT COUNT(*) FROM cross_check_matches"));
        Assert.Equal(2, await _d.CountAsync("SELECT COUNT(*) FROM cross_check_runs WHERE status = 'completed' AND completed_at IS NOT NULL"));
        Assert.Equal("suspended", await _d.StatusAsync(_wang));
        Assert.Single(await _d.HistoryAsync(_wang), t => t == "cross-check-suspended");
        var sms = Assert.Single(await _d.SmsAsync(_wang, "cross-check-held")).GetProperty("body").GetString()!;
        Assert.DoesNotContain(Wang.IdNumber, sms);

        var match = await MatchAsync();
        Assert.Equal(("广东省", "insured", "2026-11-20", "2026-11", "2028-09", 23), (match.GetProperty("province").GetString(),
            match.GetProperty("kind").GetString(), match.GetProperty("since").GetString(), match.GetProperty("overlapFrom").GetString(),
            match.GetProperty("overlapTo").GetString(), match.GetProperty("overlapMonths").GetInt32()));
        Assert.Equal("national", match.GetProperty("source").GetString());
        Assert.Equal("王*", match.GetProperty("name").GetString());
        Assert.DoesNotContain(Wang.IdNumber, match.GetProperty("idNumber").GetString());
        Assert.False(match.GetProperty("nameDiffers").GetBoolean());
    }

    [Fact]
    public async Task The_hold_sms_names_the_first_month_not_yet_paid_not_a_paid_month_where_the_match_begins()
    {
        // The match begins in November, which is paid; December is at the bank: the runs hold January on.
        await _d.CrossChecksAsync(InsuredInGuangdong);

        Assert.Equal("2026-11", (await MatchAsync()).GetProperty("overlapFrom").GetString());
        var sms = Assert.Single(await _d.SmsAsync(_wang, "cross-check-held")).GetProperty("body").GetString()!;
        Assert.Contains("自2027年1月起暂缓发放", sms);
    }

    [Fact]
    public async Task A_line_naming_someone_else_still_matches_by_identity_number_and_the_reviewer_sees_the_name_differ()
    {
        var result = await _d.CrossChecksAsync(CrossCheckDriver.Csv($"{Wang.IdNumber},李海,广东省,insured,2026-11-20,"));

        Assert.Equal((1, 0), (result.GetProperty("suspended").GetInt32(), result.GetProperty("rejected").GetArrayLength()));
        var match = await MatchAsync();
        Assert.Equal(("李*", true), (match.GetProperty("reportedName").GetString(), match.GetProperty("nameDiffers").GetBoolean()));
    }

    [Fact]
    public async Task Each_bad_line_is_rejected_with_its_line_number_while_good_lines_land()
    {
        var stranger = new Person(62, "李四", "460200", "460200");
        var result = await _d.CrossChecksAsync(CrossCheckDriver.Csv(
            CrossCheckDriver.Line(Wang, "广东省", "insured", "2026-11-20"),
            CrossCheckDriver.Line(stranger, "广东省", "insured", "2026-11-20"),
            CrossCheckDriver.Line(Wang, "福建省", "retired", "2026-11-20"),
            CrossCheckDriver.Line(Wang, "福建省", "employed", "2026-13-01"),
            CrossCheckDriver.Line(Wang, "福建省", "employed", "2026-11-01", "2026-10-01"),
            CrossCheckDriver.Line(Wang, "广东省", "insured", "2026-11-20"),
            $"{Wang.IdNumber}9,王海,福建省,employed,2026-11-01,",
            CrossCheckDriver.Line(Wang, "福建省", "employed", "2027-05-01")));

        var rejected = result.GetProperty("rejected").EnumerateArray().ToDictionary(r => r.GetProperty("line").GetInt32(),
            r => string.Join(" | ", r.GetProperty("errors").EnumerateArray().Select(e => e.GetString())));
        Assert.Equal([3, 4, 5, 6, 7, 8, 9], rejected.Keys.Order());
        Assert.Contains("not a current benefit recipient", rejected[3]);
        Assert.StartsWith("kind", rejected[4]);
        Assert.StartsWith("since", rejected[5]);
        Assert.StartsWith("until", rejected[6]);
        Assert.StartsWith("duplicate", rejected[7]);
        Assert.StartsWith("idNumber", rejected[8]);
        Assert.Contains("future", rejected[9]);
        Assert.Equal((1, 1), (result.GetProperty("matched").GetInt32(), result.GetProperty("suspended").GetInt32()));
        Assert.Equal(1, await _d.CountAsync("SELECT COUNT(*) FROM cross_check_matches"));
    }

    [Fact]
    public async Task A_case_closed_elsewhere_whose_months_overlap_still_matches_and_one_sharing_no_month_does_not()
    {
        var result = await _d.CrossChecksAsync(CrossCheckDriver.Csv(
            CrossCheckDriver.Line(Wang, "广东省", "insured", "2026-06-01", "2026-10-31"),
            CrossCheckDriver.Line(Wang, "福建省", "employed", "2025-01-01", "2026-09-30")));

        Assert.Equal((1, 1, 1), (result.GetProperty("matched").GetInt32(), result.GetProperty("suspended").GetInt32(),
            result.GetProperty("noOverlap").GetInt32()));
        var match = await MatchAsync();
        Assert.Equal(("广东省", "2026-10", "2026-10", 1), (match.GetProperty("province").GetString(), match.GetProperty("overlapFrom").GetString(),
            match.GetProperty("overlapTo").GetString(), match.GetProperty("overlapMonths").GetInt32()));
        Assert.Equal("2026-10-31", match.GetProperty("until").GetString());
    }

    [Fact]
    public async Task A_suspension_holds_the_months_from_the_match_on_and_a_run_does_not_pay_them()
    {
        await _d.CrossChecksAsync(InsuredInGuangdong);
        await _d.TodayAsync(2027, 1, 1);

        var january = await _d.RunAsync("2027-01");

        Assert.Equal(0, january.GetProperty("payments").GetInt64());
        Assert.Equal(["2026-10", "2026-11", "2026-12"], await PeriodsAsync());

        // The decision's orchestration lost with its task hub: an administrator starts it again from the workflows page.
        var instance = CrossCheckWorkflows.InstanceId((await MatchAsync()).GetProperty("matchId").GetString()!);
        var durable = _d.App.Services.GetRequiredService<DurableTaskClient>();
        await durable.TerminateInstanceAsync(instance, TestContext.Current.CancellationToken);
        await durable.WaitForInstanceCompletionAsync(instance, TestContext.Current.CancellationToken);
        await durable.PurgeInstanceAsync(instance, cancellation: TestContext.Current.CancellationToken);
        var restarted = await _d.Admin.PostAsync($"/api/v1/admin/workflows/{instance}/restart", null);
        Assert.Equal(HttpStatusCode.Accepted, restarted.StatusCode);
        Assert.Equal(OrchestrationRuntimeStatus.Running,
            (await durable.WaitForInstanceStartAsync(instance, TestContext.Current.CancellationToken)).RuntimeStatus);
    }

    [Fact]
    public async Task Confirming_turns_overpaid_months_into_recovery_cases_and_no_month_is_both_paid_and_recovered()
    {
        await _d.CrossChecksAsync(InsuredInGuangdong);
        await _d.TodayAsync(2027, 1, 1);
        await _d.RunAsync("2027-01");
        var match = (await MatchAsync()).GetProperty("matchId").GetString()!;

        var response = await _d.DecideAsync(Reviewer, match, new { decision = "confirm", opinion = "广东社保记录属实", stopDate = "2026-11-20" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("terminated", (await response.JsonAsync()).GetProperty("status").GetString());
        var payments = await _d.PaymentsAsync(_wang);
        Assert.Equal([("2026-10", "paid"), ("2026-11", "paid"), ("2026-12", "overpaid")],
            payments.Select(p => (p.GetProperty("period").GetString(), p.GetProperty("status").GetString())));
        var recovery = Assert.Single((await _d.Admin.GetJsonAsync($"/api/v1/admin/recovery-cases?applicationId={_wang}")).EnumerateArray());
        Assert.Equal(payments[2].GetProperty("paymentId").GetString(), recovery.GetProperty("paymentId").GetString());
        Assert.Equal("重新就业", recovery.GetProperty("reason").GetString());
        var history = await _d.HistoryAsync(_wang);
        Assert.Equal(["cross-check-suspended", "cross-check-confirmed", "stopped"], history.Where(t => t is "cross-check-suspended" or "cross-check-confirmed" or "stopped"));
        var decided = Assert.Single(await _d.MatchesAsync(Reviewer, "decided"));
        Assert.Equal(("confirm", "2026-11-20"), (decided.GetProperty("decision").GetString(), decided.GetProperty("stopDate").GetString()));
        Assert.Empty(await _d.MatchesAsync(Reviewer));
    }

    [Fact]
    public async Task Dismissing_lifts_the_suspension_and_the_next_supplementary_run_pays_the_held_months()
    {
        await _d.CrossChecksAsync(InsuredInGuangdong);
        await _d.TodayAsync(2027, 1, 1);
        await _d.RunAsync("2027-01");
        var match = (await MatchAsync()).GetProperty("matchId").GetString()!;

        var response = await _d.DecideAsync(Reviewer, match, new { decision = "dismiss", opinion = "比对数据为同名他人" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("approved", (await response.JsonAsync()).GetProperty("status").GetString());
        var supplementary = await _d.RunAsync("2027-01");
        Assert.Equal("supplementary", supplementary.GetProperty("kind").GetString());
        Assert.Equal(1, supplementary.GetProperty("payments").GetInt64());
        Assert.Equal(["2026-10", "2026-11", "2026-12", "2027-01"], await PeriodsAsync());
        Assert.Equal(PayoutDriver.Yuan(_d.Amounts("460200", "2027-01").BenefitFen),
            (await _d.PaymentsAsync(_wang)).Single(p => p.GetProperty("period").GetString() == "2027-01").GetProperty("amount").GetDecimal());
        Assert.Single(await _d.SmsAsync(_wang, "cross-check-resumed"));
        Assert.Contains("cross-check-dismissed", await _d.HistoryAsync(_wang));
    }

    [Fact]
    public async Task A_decision_on_a_decided_match_is_a_409_outside_the_insuring_city_a_403_and_bad_input_a_400_naming_the_field()
    {
        await _d.CrossChecksAsync(InsuredInGuangdong);
        var match = (await MatchAsync()).GetProperty("matchId").GetString()!;

        await _d.DecideAsync("460100-01-r1", match, new { decision = "dismiss", opinion = "不属实" }).AssertRefusedAsync(HttpStatusCode.Forbidden, "not-insuring-city");
        // The endpoint's own checks name the field; the one the decision rule makes (it needs the entitlement) also says which refusal.
        foreach (var (body, field, code) in new (object, string, string?)[]
                 {
                     (new { decision = "confirm", opinion = "属实" }, "stopDate", null),
                     (new { decision = "dismiss" }, "opinion", null),
                     (new { decision = "stop", opinion = "属实" }, "decision", null),
                     (new { decision = "confirm", opinion = "属实", stopDate = "2026-01-05" }, "stopDate", "stop-date-outside-entitlement"),
                 })
        {
            var bad = await _d.DecideAsync(Reviewer, match, body);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
            var problem = await bad.JsonAsync();
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), field);
            if (code is not null) Assert.Equal(code, problem.GetProperty("code").GetString());
        }
        Assert.Equal("suspended", await _d.StatusAsync(_wang));

        Assert.Equal(HttpStatusCode.OK, (await _d.DecideAsync(Reviewer, match, new { decision = "dismiss", opinion = "不属实" })).StatusCode);
        var again = await _d.DecideAsync("460200-sup", match, new { decision = "confirm", opinion = "属实", stopDate = "2026-11-20" });

        await again.AssertRefusedAsync(HttpStatusCode.Conflict, "already-decided");
        Assert.Equal("approved", await _d.StatusAsync(_wang));
        Assert.Equal(HttpStatusCode.NotFound, (await _d.DecideAsync(Reviewer, Guid.NewGuid().ToString(), new { decision = "dismiss", opinion = "x" })).StatusCode);
    }

    [Fact]
    public async Task A_registry_import_showing_the_recipient_contributing_again_raises_an_in_province_match_once()
    {
        var spell = $"{Wang.IdNumber},{Wang.Name},{Wang.Mobile},{Wang.Account},460100,{People.EmployerCode(900)},海口新公司,2026-11,,";

        await _d.ImportAsync(spell);
        await _d.ImportAsync(spell);

        Assert.Equal("suspended", await _d.StatusAsync(_wang));
        var match = await MatchAsync();
        Assert.Equal(("in-province", "460100", "employed", "2026-11-01", "2026-11"), (match.GetProperty("source").GetString(),
            match.GetProperty("province").GetString(), match.GetProperty("kind").GetString(), match.GetProperty("since").GetString(),
            match.GetProperty("overlapFrom").GetString()));
        Assert.Single(await _d.HistoryAsync(_wang), t => t == "cross-check-suspended");
        Assert.Single(await _d.SmsAsync(_wang, "cross-check-held"));
    }

    [Fact]
    public async Task A_statement_taken_at_any_office_within_the_window_is_on_the_match_and_in_the_history_and_refused_after_it()
    {
        await _d.CrossChecksAsync(InsuredInGuangdong);
        var match = (await MatchAsync()).GetProperty("matchId").GetString()!;
        using var haikou = await _d.App.StaffAsync("460100-01-r1");

        var contested = await haikou.PostJsonAsync($"/api/v1/cross-check-matches/{match}/contest", new { statement = "本人11月未在广东工作，系单位代缴错误" });

        Assert.Equal(HttpStatusCode.OK, contested.StatusCode);
        var statement = Assert.Single((await MatchAsync()).GetProperty("contests").EnumerateArray());
        Assert.Equal(("本人11月未在广东工作，系单位代缴错误", "460100-01"), (statement.GetProperty("statement").GetString(), statement.GetProperty("office").GetString()));
        Assert.Contains("cross-check-contested", await _d.HistoryAsync(_wang));
        Assert.Equal(HttpStatusCode.BadRequest, (await haikou.PostJsonAsync($"/api/v1/cross-check-matches/{match}/contest", new { statement = " " })).StatusCode);

        await _d.TodayAsync(2027, 1, 20);
        using var late = await _d.App.StaffAsync("460100-01-r1");
        await late.PostJsonAsync($"/api/v1/cross-check-matches/{match}/contest", new { statement = "补充说明" })
            .AssertRefusedAsync(HttpStatusCode.Conflict, "contest-period-ended");
    }

    [Fact]
    public async Task Replayed_imports_escalations_and_decisions_suspend_once_escalate_once_and_decide_once()
    {
        var imports = await Task.WhenAll(_d.CrossChecksAsync(InsuredInGuangdong), _d.CrossChecksAsync(InsuredInGuangdong));
        Assert.Equal(1, imports.Sum(i => i.GetProperty("suspended").GetInt32()));
        var match = (await MatchAsync()).GetProperty("matchId").GetString()!;

        // The escalation activity retried after a crash: the second run finds it escalated and changes nothing.
        var matches = _d.App.Services.GetRequiredService<CrossCheckMatches>();
        await matches.EscalateAsync(match, TestContext.Current.CancellationToken);
        await matches.EscalateAsync(match, TestContext.Current.CancellationToken);
        Assert.Equal(match, Assert.Single(await _d.MatchesAsync("460200-sup", "escalated")).GetProperty("matchId").GetString());

        var decisions = await Task.WhenAll(
            _d.DecideAsync(Reviewer, match, new { decision = "confirm", opinion = "属实", stopDate = "2026-11-20" }),
            _d.DecideAsync("460200-sup", match, new { decision = "confirm", opinion = "属实", stopDate = "2026-11-20" }));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], decisions.Select(r => r.StatusCode).Order());
        var history = await _d.HistoryAsync(_wang);
        Assert.Equal(1, history.Count(t => t == "cross-check-suspended"));
        Assert.Equal(1, history.Count(t => t == "cross-check-escalated"));
        Assert.Equal(1, history.Count(t => t == "cross-check-confirmed"));
        Assert.Equal(1, await _d.CountAsync("SELECT COUNT(*) FROM notifications WHERE template = 'cross-check-held'"));
        Assert.Equal(1, await _d.CountAsync("SELECT COUNT(*) FROM recovery_cases"));
    }
}

public sealed class CrossCheckOnSqlite() : CrossCheckSpec(Store.Sqlite);

public sealed class CrossCheckOnPostgres() : CrossCheckSpec(Store.Postgres);
