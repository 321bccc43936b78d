using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Dapper;
using Tongban.Domain;
using Tongban.Tests.Infrastructure;
using Tongban.Tests.Payouts;

namespace Tongban.Tests.CrossChecks;

/// <summary>
/// Kill the app (SIGKILL) while reviewers decide a month's matches, restart it, send again every decision that got no
/// answer and run the supplementary run: every match decided once, each decision's SMS sent once (at the gateway too), a
/// recovery case for each overpaid month of a confirmed match, the held month of a dismissed one paid once, and no month
/// both paid and recovered. Two months ago (M-2, the app in process on a clock set back) the recipients were approved and
/// last month's run paid them M-2 and M-1. Today the app runs as its own process: the comparison file shows each insured in
/// Guangdong since the 25th of M-2, which holds every claim from M-2, so this month's run pays none of them. Every other
/// match is confirmed (stopped on the 25th of M-2: M-1 becomes an overpayment), the rest dismissed (M is due again).
/// Decisions go four at a time, and the app is killed the moment the database shows a quarter of them committed and one
/// of those still without its answer: the others are in flight or not yet sent, and the last ones committed often have
/// neither their answer nor their SMS yet (the test's output says how it landed).
/// </summary>
public abstract class CrossCheckDecisionCrashSpec(Store kind) : IAsyncLifetime
{
    private const int Recipients = 24;
    private const int AtOnce = 4;
    private const string City = "460200";
    private static readonly string[] Deciders = ["460200-01-r1", "460200-01-r2", "460200-sup"];
    private static readonly Person[] Insured = Enumerable.Range(0, Recipients).Select(i => new Person(100 + i, "符海燕", City, City)).ToArray();

    // Matches wait far longer than the test for their decision; the test asks for each payout run itself, so no timer
    // starts one at a moment of its own choosing (a start-up after the kill included).
    private static readonly string[] Settings = ["--Sms:RetryAfterSeconds=2", "--CrossChecks:DecisionWorkingDays=2000",
        "--AzureWebJobs.MonthlyPayout.Disabled=true", "--AzureWebJobs.SupplementaryPayout.Disabled=true"];

    private TestStore _store = null!;
    private AppProcess? _app;

    public async ValueTask InitializeAsync() => _store = await TestStore.CreateAsync(kind);

    public async ValueTask DisposeAsync()
    {
        // A failed assertion must not leave a child process running.
        if (_app is not null) await _app.DisposeAsync();
        await _store.DisposeAsync();
    }

    private sealed record Decision(string MatchId, string ApplicationId, string Decider, bool Confirm, DateOnly StopDate)
    {
        public Task<HttpResponseMessage> SendAsync(IReadOnlyDictionary<string, HttpClient> deciders) =>
            deciders[Decider].PostJsonAsync($"/api/v1/cross-check-matches/{MatchId}/decision", Confirm
                ? new { decision = "confirm", opinion = "广东社保记录属实", stopDate = StopDate.ToString("yyyy-MM-dd") }
                : new { decision = "dismiss", opinion = "比对数据为同名他人" });
    }

    [Fact]
    public async Task Killed_mid_decision_and_sent_again_every_match_is_decided_once_and_no_month_is_both_paid_and_recovered()
    {
        var month = YearMonth.Of(DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)));
        var claims = await ApprovedAndPaidAsync(month);
        var since = month.AddMonths(-2).FirstDay.AddDays(24);
        var port = AppProcess.FreePort();
        _app = await AppProcess.StartAsync(_store, port, Settings);
        List<Decision> decisions;
        using (var admin = await TestApp.StaffAsync(_app.Address, "admin"))
        using (var reviewer = await TestApp.StaffAsync(_app.Address, Deciders[0]))
        {
            var file = CrossCheckDriver.Csv(Insured.Select(p => CrossCheckDriver.Line(p, "广东省", "insured", $"{since:yyyy-MM-dd}")).ToArray());
            var imported = await admin.PostAsync("/api/v1/admin/cross-checks", new StringContent(file, Encoding.UTF8, "text/csv"));
            Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());
            Assert.Equal(Recipients, (await imported.JsonAsync()).GetProperty("suspended").GetInt32());
            Assert.Equal(0, (await PayoutDriver.RunAsync(admin, month.ToString())).GetProperty("payments").GetInt64());
            var matches = (await reviewer.GetJsonAsync("/api/v1/cross-check-matches?status=open")).EnumerateArray()
                .ToDictionary(m => m.GetProperty("applicationId").GetString()!, m => m.GetProperty("matchId").GetString()!);
            decisions = claims.Select((id, i) => new Decision(matches[id], id, Deciders[i % Deciders.Length], i % 2 == 0, since)).ToList();
        }
        await CrossCheckDriver.WaitUntilAsync(() => _store.CountAsync("SELECT COUNT(*) FROM notifications WHERE status <> 'sent'"), 0);

        var answers = new ConcurrentDictionary<string, HttpStatusCode>();
        var deciders = await SignInAsync(_app.Address);
        var deciding = DecideAllAsync(deciders, decisions, answers);
        await KillMidDecisionAsync(deciding, answers);
        await deciding;
        foreach (var decider in deciders.Values) decider.Dispose();
        await SettledAsync();

        var decidedAtKill = (await _store.QueryAsync<string>("SELECT id FROM cross_check_matches WHERE status = 'decided'")).ToHashSet();
        Assert.All(answers.Values, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Superset(answers.Keys.ToHashSet(), decidedAtKill);
        Assert.InRange(decidedAtKill.Count, Recipients / 4, Recipients - 1);
        // A decision committed whole or not at all: a decided match's claim has moved on with its history line, an
        // undecided one's is still held and has none.
        Assert.Equal(0, await _store.CountAsync(
            """
            SELECT COUNT(*) FROM cross_check_matches m JOIN applications a ON a.id = m.application_id
            WHERE (m.status = 'decided') = (a.status = 'suspended')
               OR (m.status = 'decided') <> EXISTS (SELECT 1 FROM application_events e WHERE e.application_id = m.application_id
                                                     AND e.type IN ('cross-check-confirmed', 'cross-check-dismissed'))
            """));

        TestContext.Current.TestOutputHelper?.WriteLine($"At the kill: {decidedAtKill.Count} decided, {answers.Count} answered, " +
            $"{await _store.CountAsync("SELECT COUNT(*) FROM notifications WHERE template IN ('stopped', 'overpaid', 'cross-check-resumed') AND status <> 'sent'")} of their SMS unsent.");
        _app = await AppProcess.StartAsync(_store, port, Settings);
        var resent = new Dictionary<string, HttpStatusCode>();
        deciders = await SignInAsync(_app.Address);
        foreach (var decision in decisions.Where(d => !answers.ContainsKey(d.MatchId)))
            resent[decision.MatchId] = (await decision.SendAsync(deciders)).StatusCode;
        foreach (var decider in deciders.Values) decider.Dispose();
        // Committed before the kill with its answer lost: a 409 now. Every other one lands now.
        Assert.Equal(resent.Keys.ToDictionary(id => id, id => decidedAtKill.Contains(id) ? HttpStatusCode.Conflict : HttpStatusCode.OK), resent);
        using (var admin = await TestApp.StaffAsync(_app.Address, "admin"))
        {
            var supplementary = await PayoutDriver.RunAsync(admin, month.ToString());
            Assert.Equal(("supplementary", Recipients / 2L), (supplementary.GetProperty("kind").GetString(), supplementary.GetProperty("payments").GetInt64()));
            await CrossCheckDriver.WaitUntilAsync(() => _store.CountAsync("SELECT COUNT(*) FROM notifications WHERE status <> 'sent'"), 0);
            Assert.True((await admin.GetJsonAsync($"/api/v1/admin/funds/{City}")).GetProperty("balanced").GetBoolean());
        }
        await _app.DisposeAsync();

        var confirmed = decisions.Where(d => d.Confirm).Select(d => d.ApplicationId).ToList();
        var dismissed = decisions.Where(d => !d.Confirm).Select(d => d.ApplicationId).ToList();
        string M(int offset) => month.AddMonths(offset).ToString();
        Assert.Equal(Rows(confirmed.Select(id => (id, "confirm")), dismissed.Select(id => (id, "dismiss"))),
            Rows(await _store.QueryAsync<(string, string)>("SELECT application_id, decision FROM cross_check_matches WHERE status = 'decided'")));
        Assert.Equal(Rows(confirmed.SelectMany(id => new[] { (id, "cross-check-confirmed"), (id, "stopped") }), dismissed.Select(id => (id, "cross-check-dismissed"))),
            Rows(await _store.QueryAsync<(string, string)>(
                "SELECT application_id, type FROM application_events WHERE type IN ('cross-check-confirmed', 'cross-check-dismissed', 'stopped')")));
        Assert.Equal(Rows(confirmed.SelectMany(id => new[] { (id, "overpaid"), (id, "stopped") }), dismissed.Select(id => (id, "cross-check-resumed"))),
            Rows(await _store.QueryAsync<(string, string)>(
                "SELECT application_id, template FROM notifications WHERE template IN ('stopped', 'overpaid', 'cross-check-resumed')")));
        Assert.Equal(Rows(confirmed.Select(id => (id, M(-1)))),
            Rows(await _store.QueryAsync<(string, string)>("SELECT application_id, period FROM recovery_cases")));
        // Each month once: a confirmed claim keeps the stop month, owes M-1 back and is never paid M; a dismissed one is paid
        // M by the supplementary run.
        Assert.Equal(Rows(confirmed.SelectMany(id => new[] { (id, M(-2), "sent"), (id, M(-1), "overpaid") }),
                dismissed.SelectMany(id => new[] { (id, M(-2), "sent"), (id, M(-1), "sent"), (id, M(0), "sent") })),
            Rows(await _store.QueryAsync<(string, string, string)>(
                """
                SELECT p.application_id, p.period, CASE WHEN p.status = 'scheduled' AND f.run_id IS NOT NULL THEN 'sent' ELSE p.status END
                FROM payments p LEFT JOIN payout_files f ON f.run_id = p.run_id AND f.city_code = p.city_code
                """)));
        // The gateway got every message, once.
        var sent = (await File.ReadAllLinesAsync(Path.Combine(_store.Folder, "sms-outbox.jsonl")))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("key").GetString()!);
        Assert.Equal(Rows(await _store.QueryAsync<string>("SELECT dedupe_key FROM notifications")), Rows(sent));
        Assert.Equal(0, await _store.CountAsync("SELECT COUNT(*) FROM notifications WHERE status <> 'sent'"));
    }

    /// <summary>
    /// The app in process on a clock at the 20th of M-2: the recipients apply and are approved (24 months from M-2), and on
    /// the 1st of M-1 that month's run pays M-1 and, as back pay, M-2. Returns their application ids, in the order of
    /// <see cref="Insured"/>.
    /// </summary>
    private async Task<string[]> ApprovedAndPaidAsync(YearMonth month)
    {
        var approvedIn = month.AddMonths(-2);
        var clock = new ManualClock(new DateTimeOffset(approvedIn.Year, approvedIn.Month, 20, 9, 0, 0, PayoutDriver.China));
        var app = await TestApp.StartOnAsync(_store, TestApp.WithClock(clock), Settings);
        await using var d = new PayoutDriver(app, clock, await app.StaffAsync("admin"));
        await d.RunAsync(approvedIn.ToString());
        await d.ImportAsync(Insured.Select(p => p.Spell(end: approvedIn.AddMonths(-1).ToString())).ToArray());
        var claims = await d.ApproveAsync(Insured);
        var paidIn = approvedIn.AddMonths(1);
        await d.TodayAsync(paidIn.Year, paidIn.Month, 1);
        Assert.Equal(2L * Recipients, (await d.RunAsync(paidIn.ToString())).GetProperty("payments").GetInt64());
        return claims;
    }

    private static async Task<Dictionary<string, HttpClient>> SignInAsync(Uri address)
    {
        var deciders = new Dictionary<string, HttpClient>();
        foreach (var decider in Deciders) deciders[decider] = await TestApp.StaffAsync(address, decider);
        return deciders;
    }

    /// <summary>Sends the decisions, <see cref="AtOnce"/> at a time; one the app died under has no answer.</summary>
    private static Task DecideAllAsync(IReadOnlyDictionary<string, HttpClient> deciders, IReadOnlyList<Decision> decisions,
        ConcurrentDictionary<string, HttpStatusCode> answers) =>
        Parallel.ForEachAsync(decisions, new ParallelOptions { MaxDegreeOfParallelism = AtOnce }, async (decision, _) =>
        {
            try
            {
                answers[decision.MatchId] = (await decision.SendAsync(deciders)).StatusCode;
            }
            catch (HttpRequestException) { } // sent again after the restart
        });

    /// <summary>
    /// Kills the app the moment the database shows a quarter of the decisions committed and one of them still without its
    /// answer — or, should answers always come first, half of them committed.
    /// </summary>
    private async Task KillMidDecisionAsync(Task deciding, ConcurrentDictionary<string, HttpStatusCode> answers)
    {
        await using var database = _store.Open();
        await using var connection = await database.OpenAsync();
        while (true)
        {
            var committed = (await connection.QueryAsync<string>("SELECT id FROM cross_check_matches WHERE status = 'decided'")).ToList();
            if (committed.Count >= Recipients / 2 || committed.Count >= Recipients / 4 && committed.Any(id => !answers.ContainsKey(id))) break;
            if (deciding.IsCompleted) Assert.Fail("The decisions ended before the app could be killed among them.");
            await Task.Delay(1);
        }
        await _app!.KillAsync();
    }

    /// <summary>
    /// PostgreSQL finishes what the killed app had sent it — a commit that arrived just before the kill still commits —
    /// and rolls back the rest once it sees the connections gone: the store is read once they are.
    /// </summary>
    private async Task SettledAsync()
    {
        if (kind != Store.Postgres) return;
        await CrossCheckDriver.WaitUntilAsync(() => _store.CountAsync(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'"), 0);
    }

    private static List<T> Rows<T>(params IEnumerable<T>[] parts) => parts.SelectMany(p => p).Order().ToList();
}

public sealed class CrossCheckDecisionCrashOnSqlite() : CrossCheckDecisionCrashSpec(Store.Sqlite);

public sealed class CrossCheckDecisionCrashOnPostgres() : CrossCheckDecisionCrashSpec(Store.Postgres);
