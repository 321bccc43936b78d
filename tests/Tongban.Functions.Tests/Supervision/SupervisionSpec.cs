using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tongban.Tests.Infrastructure;

namespace Tongban.Tests.Supervision;

/// <summary>
/// The city supervisor's endpoints over HTTP (open work, reassignment, the day's staffing, 二次审核 re-opened cases) and the
/// staff lookup behind stop reports: each for its role and city only (403 otherwise), bad input a 400 naming the field.
/// </summary>
public abstract class SupervisionSpec(Store store) : IAsyncLifetime
{
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync(store);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    /// <summary>A counter application at Haikou's first office of person <paramref name="n"/> (insured in Sanya), at first review.</summary>
    private async Task<(string Id, string CaseNumber)> AtHaikouFirstReviewAsync(int n, string name)
    {
        await _app.ImportAsync(People.Csv(People.EligibleInSanya(n, name)));
        var submitted = await (await _app.Portal.SubmitAsync(People.Application(People.IdNumber(n), name))).JsonAsync();
        var id = submitted.GetProperty("applicationId").GetString()!;
        await _app.Portal.WaitForStatusAsync(id, "first-review");
        return (id, submitted.GetProperty("caseNumber").GetString()!);
    }

    private static async Task<string[]> QueueAsync(HttpClient reviewer, string stage = "first-review") =>
        [.. (await reviewer.GetJsonAsync($"/api/v1/review-queue?stage={stage}")).EnumerateArray().Select(e => e.GetProperty("applicationId").GetString()!)];

    private static async Task<string?> ErrorFieldAsync(HttpResponseMessage response) =>
        (await response.JsonAsync()).GetProperty("errors").EnumerateObject().Single().Name;

    private static async Task<(string Field, string? Message)> ErrorAsync(HttpResponseMessage response)
    {
        var error = (await response.JsonAsync()).GetProperty("errors").EnumerateObject().Single();
        return (error.Name, error.Value[0].GetString());
    }

    [Fact]
    public async Task The_supervisor_moves_a_case_to_another_office_of_the_city_whose_queue_then_holds_it()
    {
        var (id, _) = await AtHaikouFirstReviewAsync(501, "陈一");
        using var supervisor = await _app.StaffAsync("460100-sup");
        using var first = await _app.StaffAsync("460100-01-r1");
        using var meilan = await _app.StaffAsync("460100-02-r1");

        var response = await supervisor.PostJsonAsync($"/api/v1/applications/{id}/reassign", new { office = "460100-02", reason = "一中心积压，调配至美兰" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("first-review", "460100-02"), ((await response.JsonAsync()).GetProperty("status").GetString(),
            (await _app.Portal.GetJsonAsync($"/api/v1/applications/{id}")).GetProperty("assignedOffice").GetString()));
        Assert.DoesNotContain(id, await QueueAsync(first));
        Assert.Contains(id, await QueueAsync(meilan));
        var history = (await _app.Portal.GetJsonAsync($"/api/v1/applications/{id}")).GetProperty("history").EnumerateArray().Last();
        Assert.Equal(("reassigned", "460100-sup", "460100-02", "一中心积压，调配至美兰"), (history.GetProperty("type").GetString(),
            history.GetProperty("actor").GetString(), history.GetProperty("office").GetString(), history.GetProperty("opinion").GetString()));
        // The case is Meilan's now: its reviewer decides it, Haikou's first office may not.
        await first.PostJsonAsync($"/api/v1/applications/{id}/first-review", new { decision = "approve" })
            .AssertRefusedAsync(HttpStatusCode.Forbidden, "not-assigned-office");
        Assert.Equal(HttpStatusCode.OK, (await meilan.PostJsonAsync($"/api/v1/applications/{id}/first-review", new { decision = "approve" })).StatusCode);
    }

    [Fact]
    public async Task A_case_assigned_to_a_named_reviewer_shows_in_that_reviewers_queue_only()
    {
        var (id, _) = await AtHaikouFirstReviewAsync(502, "陈二");
        using var supervisor = await _app.StaffAsync("460100-sup");
        using var r1 = await _app.StaffAsync("460100-02-r1");
        using var r2 = await _app.StaffAsync("460100-02-r2");

        var response = await supervisor.PostJsonAsync($"/api/v1/applications/{id}/reassign", new { office = "460100-02", reviewer = "460100-02-r2" });

        Assert.Equal("460100-02-r2", (await response.JsonAsync()).GetProperty("assignedReviewer").GetString());
        Assert.Contains(id, await QueueAsync(r2));
        Assert.DoesNotContain(id, await QueueAsync(r1));
        var overview = await supervisor.GetJsonAsync("/api/v1/supervision/overview");
        Assert.Equal("460100-02-r2", overview.GetProperty("cases").EnumerateArray()
            .Single(c => c.GetProperty("applicationId").GetString() == id).GetProperty("assignedReviewer").GetString());
        // Named again to the same reviewer: nothing to do.
        await supervisor.PostJsonAsync($"/api/v1/applications/{id}/reassign", new { office = "460100-02", reviewer = "460100-02-r2" })
            .AssertRefusedAsync(HttpStatusCode.Conflict, "already-assigned");
    }

    [Fact]
    public async Task Reassignment_is_refused_to_reviewers_other_cities_supervisors_and_outside_the_city()
    {
        var (id, _) = await AtHaikouFirstReviewAsync(503, "陈三");
        using var supervisor = await _app.StaffAsync("460100-sup");
        using var sanya = await _app.StaffAsync("460200-sup");
        using var reviewer = await _app.StaffAsync("460100-01-r1");
        var path = $"/api/v1/applications/{id}/reassign";

        await reviewer.PostJsonAsync(path, new { office = "460100-02" }).AssertRefusedAsync(HttpStatusCode.Forbidden, "not-city-supervisor");
        await sanya.PostJsonAsync(path, new { office = "460200-01" }).AssertRefusedAsync(HttpStatusCode.Forbidden, "case-outside-city");
        await supervisor.PostJsonAsync(path, new { office = "460200-01" }).AssertRefusedAsync(HttpStatusCode.Forbidden, "office-outside-city");
        var unknown = await supervisor.PostJsonAsync(path, new { office = "460100-99" });
        Assert.Equal((HttpStatusCode.BadRequest, "office"), (unknown.StatusCode, await ErrorFieldAsync(unknown)));
        var notThere = await supervisor.PostJsonAsync(path, new { office = "460100-02", reviewer = "460100-03-r1" });
        Assert.Equal((HttpStatusCode.BadRequest, "reviewer"), (notThere.StatusCode, await ErrorFieldAsync(notThere)));
        await supervisor.PostJsonAsync(path, new { office = "460100-01" }).AssertRefusedAsync(HttpStatusCode.Conflict, "already-assigned");
        Assert.Equal(HttpStatusCode.NotFound,
            (await supervisor.PostJsonAsync($"/api/v1/applications/{Guid.NewGuid()}/reassign", new { office = "460100-02" })).StatusCode);

        using (var first = await _app.StaffAsync("460100-01-r1"))
            Assert.Equal(HttpStatusCode.OK, (await first.PostJsonAsync($"/api/v1/applications/{id}/first-review", new { decision = "reject", opinion = "材料不全" })).StatusCode);
        await supervisor.PostJsonAsync(path, new { office = "460100-02" }).AssertRefusedAsync(HttpStatusCode.Conflict, "not-waiting-for-review");
        Assert.Equal("rejected", (await _app.Portal.GetJsonAsync($"/api/v1/applications/{id}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_overview_counts_each_offices_open_work_by_stage_for_the_supervisors_city_only()
    {
        var (a, _) = await AtHaikouFirstReviewAsync(504, "陈四");
        await AtHaikouFirstReviewAsync(505, "陈五");
        using var supervisor = await _app.StaffAsync("460100-sup");
        Assert.Equal(HttpStatusCode.OK, (await supervisor.PostJsonAsync($"/api/v1/applications/{a}/reassign", new { office = "460100-03" })).StatusCode);

        var overview = await supervisor.GetJsonAsync("/api/v1/supervision/overview");

        var offices = overview.GetProperty("offices").EnumerateArray().ToDictionary(o => o.GetProperty("code").GetString()!,
            o => (o.GetProperty("firstReview").GetInt32(), o.GetProperty("finalReview").GetInt32(), o.GetProperty("overdue").GetInt32()));
        Assert.Equal(["460100-01", "460100-02", "460100-03"], offices.Keys);
        Assert.Equal((1, 0, 0), offices["460100-01"]);
        Assert.Equal((1, 0, 0), offices["460100-03"]);
        Assert.Equal(2, overview.GetProperty("cases").GetArrayLength());
        using var sanya = await _app.StaffAsync("460200-sup");
        Assert.Empty((await sanya.GetJsonAsync("/api/v1/supervision/overview")).GetProperty("cases").EnumerateArray());
        using var reviewer = await _app.StaffAsync("460100-01-r1");
        using var admin = await _app.StaffAsync("admin");
        foreach (var path in new[] { "/api/v1/supervision/overview", "/api/v1/supervision/staffing", "/api/v1/supervision/rechecks" })
        {
            await reviewer.GetAsync(path).AssertRefusedAsync(HttpStatusCode.Forbidden, "not-city-supervisor");
            await admin.GetAsync(path).AssertRefusedAsync(HttpStatusCode.Forbidden, "not-city-supervisor");
        }
    }

    [Fact]
    public async Task Online_applications_go_to_the_offices_with_reviewers_on_duty_that_day()
    {
        using var supervisor = await _app.StaffAsync("460200-sup");
        var today = (await supervisor.GetJsonAsync("/api/v1/supervision/staffing")).GetProperty("date").GetString()!;
        // Sanya's first office has 4 reviewers in the province file, its second 2: today nobody is on duty at the first.
        var set = await supervisor.PutAsJsonAsync("/api/v1/supervision/staffing",
            new { date = today, offices = new object[] { new { office = "460200-01", reviewers = 0 }, new { office = "460200-02", reviewers = 3 } } });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var staffing = (await set.JsonAsync()).GetProperty("offices").EnumerateArray()
            .Select(o => (o.GetProperty("code").GetString(), o.GetProperty("reviewers").GetInt32(), o.GetProperty("onDuty").GetInt32())).ToList();
        Assert.Equal([("460200-01", 4, 0), ("460200-02", 2, 3)], staffing);

        var offices = new List<string>();
        foreach (var (n, name) in new[] { (511, "林一"), (512, "林二"), (513, "林三") })
        {
            await _app.ImportAsync(People.Csv(People.EligibleInSanya(n, name)));
            var submitted = await (await _app.Portal.SubmitAsync(People.Application(People.IdNumber(n), name, channel: "online", office: null))).JsonAsync();
            var application = await _app.Portal.WaitForStatusAsync(submitted.GetProperty("applicationId").GetString()!, "first-review");
            offices.Add(application.GetProperty("assignedOffice").GetString()!);
        }

        Assert.Equal(["460200-02", "460200-02", "460200-02"], offices);
    }

    [Fact]
    public async Task Staffing_is_set_for_today_onwards_for_the_supervisors_own_offices_with_reviewers_from_0_to_99()
    {
        using var supervisor = await _app.StaffAsync("460100-sup");
        var today = DateOnly.ParseExact((await supervisor.GetJsonAsync("/api/v1/supervision/staffing")).GetProperty("date").GetString()!, "yyyy-MM-dd");
        Task<HttpResponseMessage> Put(HttpClient client, DateOnly day, string office, int reviewers) => client.PutAsJsonAsync("/api/v1/supervision/staffing",
            new { date = day.ToString("yyyy-MM-dd"), offices = new[] { new { office, reviewers } } });

        var past = await Put(supervisor, today.AddDays(-1), "460100-01", 2);
        Assert.Equal((HttpStatusCode.BadRequest, "date"), (past.StatusCode, await ErrorFieldAsync(past)));
        var negative = await Put(supervisor, today, "460100-01", -1);
        Assert.Equal((HttpStatusCode.BadRequest, "offices[0].reviewers"), (negative.StatusCode, await ErrorFieldAsync(negative)));
        await Put(supervisor, today, "460200-01", 2).AssertRefusedAsync(HttpStatusCode.Forbidden, "office-outside-city");
        using (var reviewer = await _app.StaffAsync("460100-01-r1"))
            await Put(reviewer, today, "460100-01", 2).AssertRefusedAsync(HttpStatusCode.Forbidden, "not-city-supervisor");

        Assert.Equal(HttpStatusCode.OK, (await Put(supervisor, today.AddDays(1), "460100-02", 6)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Put(supervisor, today.AddDays(1), "460100-02", 5)).StatusCode);
        var tomorrow = await supervisor.GetJsonAsync($"/api/v1/supervision/staffing?date={today.AddDays(1):yyyy-MM-dd}");
        var meilan = tomorrow.GetProperty("offices").EnumerateArray().Single(o => o.GetProperty("code").GetString() == "460100-02");
        Assert.Equal((5, "460100-sup"), (meilan.GetProperty("onDuty").GetInt32(), meilan.GetProperty("setBy").GetString()));
        var todays = await supervisor.GetJsonAsync("/api/v1/supervision/staffing");
        Assert.All(todays.GetProperty("offices").EnumerateArray(), o => Assert.Equal(JsonValueKind.Null, o.GetProperty("onDuty").ValueKind));
    }

    [Fact]
    public async Task The_supervisor_of_the_insuring_city_sees_applications_the_registry_reopened()
    {
        var idNumber = People.IdNumber(521, region: "460100");
        var submitted = await (await _app.Portal.SubmitAsync(People.Application(idNumber, "赵六"))).JsonAsync();
        var id = submitted.GetProperty("applicationId").GetString()!;
        await _app.Portal.WaitForStatusAsync(id, "rejected");
        using var haikou = await _app.StaffAsync("460100-sup");
        Assert.Empty((await haikou.GetJsonAsync("/api/v1/supervision/rechecks")).EnumerateArray());

        await _app.ImportAsync(People.Csv(People.Spell(idNumber, "赵六", "460100", 521, "2015-01", "2026-06", "employer-closed")));
        await _app.Portal.WaitForStatusAsync(id, "first-review");

        var reopened = Assert.Single((await haikou.GetJsonAsync("/api/v1/supervision/rechecks")).EnumerateArray());
        Assert.Equal((id, "first-review", "460100-01"), (reopened.GetProperty("applicationId").GetString(),
            reopened.GetProperty("status").GetString(), reopened.GetProperty("assignedOffice").GetString()));
        using var sanya = await _app.StaffAsync("460200-sup");
        Assert.Empty((await sanya.GetJsonAsync("/api/v1/supervision/rechecks")).EnumerateArray());
    }

    [Fact]
    public async Task Staff_anywhere_find_an_application_by_case_number_or_identity_number_masked()
    {
        var (id, caseNumber) = await AtHaikouFirstReviewAsync(531, "欧阳一");
        using var faraway = await _app.StaffAsync("460200-01-r1");
        var idNumber = People.IdNumber(531);
        // Typed with spaces in full-width digits, as reviewers copy it from documents.
        var fullWidth = string.Concat(idNumber.Select(c => char.IsAsciiDigit(c) ? (char)(c - '0' + '０') : c)).Insert(6, " ");

        var byCase = await (await faraway.PostJsonAsync("/api/v1/applications/lookup", new { caseNumber })).JsonAsync();
        var byId = await (await faraway.PostJsonAsync("/api/v1/applications/lookup", new { idNumber = fullWidth })).JsonAsync();

        var found = Assert.Single(byCase.EnumerateArray());
        Assert.Equal(id, Assert.Single(byId.EnumerateArray()).GetProperty("applicationId").GetString());
        Assert.Equal((id, "first-review", "欧*"), (found.GetProperty("applicationId").GetString(), found.GetProperty("status").GetString(),
            found.GetProperty("applicant").GetProperty("name").GetString()));
        Assert.DoesNotContain(idNumber, byCase.GetRawText() + byId.GetRawText());
        var both = await faraway.PostJsonAsync("/api/v1/applications/lookup", new { caseNumber, idNumber });
        Assert.Equal((HttpStatusCode.BadRequest, ("caseNumber", "Give either a case number or an identity number (idNumber), not both.")),
            (both.StatusCode, await ErrorAsync(both)));
        // Neither given (blank counts as not given) is told apart from both given.
        foreach (var neither in new object[] { new { }, new { caseNumber = " ", idNumber = "" } })
        {
            var response = await faraway.PostJsonAsync("/api/v1/applications/lookup", neither);
            Assert.Equal((HttpStatusCode.BadRequest, ("$", "Give a case number (caseNumber) or an identity number (idNumber).")),
                (response.StatusCode, await ErrorAsync(response)));
        }
        var wrongCheck = idNumber[..17] + (idNumber[17] == '0' ? '1' : '0');
        var bad = await faraway.PostJsonAsync("/api/v1/applications/lookup", new { idNumber = wrongCheck });
        Assert.Equal((HttpStatusCode.BadRequest, "idNumber"), (bad.StatusCode, await ErrorFieldAsync(bad)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.Portal.PostJsonAsync("/api/v1/applications/lookup", new { caseNumber })).StatusCode);
    }
}

public sealed class SupervisionOnSqlite() : SupervisionSpec(Store.Sqlite);

public sealed class SupervisionOnPostgres() : SupervisionSpec(Store.Postgres);
