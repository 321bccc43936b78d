using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Tongban.Tests.Infrastructure;

namespace Tongban.Tests.StaffConsole;

/// <summary>What the console asks the API beyond the v1 contract: who is signed in, and a case's SMS and contribution spells for any staff member.</summary>
public sealed class ConsoleApiSpec : IAsyncLifetime
{
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync(Store.Sqlite);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_token_tells_who_holds_it_with_role_office_and_city()
    {
        using var reviewer = await _app.StaffAsync("460100-01-r1");
        using var admin = await _app.StaffAsync("admin");

        var me = await reviewer.GetJsonAsync("/api/v1/auth/me");
        var administrator = await admin.GetJsonAsync("/api/v1/auth/me");

        Assert.Equal(("460100-01-r1", "reviewer", "460100-01", "460100"), (me.GetProperty("username").GetString(),
            me.GetProperty("role").GetString(), me.GetProperty("office").GetString(), me.GetProperty("city").GetString()));
        Assert.Equal("administrator", administrator.GetProperty("role").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.Anonymous.GetAsync("/api/v1/auth/me")).StatusCode);
        using var stale = new HttpClient { BaseAddress = _app.Address };
        stale.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "no-such-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await stale.GetAsync("/api/v1/auth/me")).StatusCode);
    }

    [Fact]
    public async Task Any_staff_member_reads_the_SMS_sent_about_a_case_masked_and_portals_do_not()
    {
        var id = People.IdNumber(301);
        await _app.ImportAsync(People.Csv(People.EligibleInSanya(301, "林三")));
        var submitted = await (await _app.Portal.SubmitAsync(People.Application(id, "林三"))).JsonAsync();
        var applicationId = submitted.GetProperty("applicationId").GetString()!;
        await _app.Portal.WaitForStatusAsync(applicationId, "first-review");
        using var elsewhere = await _app.StaffAsync("460400-01-r1");

        var sms = await elsewhere.GetJsonAsync($"/api/v1/applications/{applicationId}/notifications");

        var received = Assert.Single(sms.EnumerateArray(), m => m.GetProperty("template").GetString() == "received");
        Assert.Equal("138****8000", received.GetProperty("to").GetString());
        Assert.Contains(submitted.GetProperty("caseNumber").GetString()!, received.GetProperty("body").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.Portal.GetAsync($"/api/v1/applications/{applicationId}/notifications")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await elsewhere.GetAsync($"/api/v1/applications/{Guid.NewGuid()}/notifications")).StatusCode);
    }

    [Fact]
    public async Task Any_staff_member_reads_the_applicants_contribution_spells_oldest_first()
    {
        var id = People.IdNumber(302);
        await _app.ImportAsync(People.Csv(
            People.Spell(id, "林四", "460200", 12, "2020-01", "", ""),
            People.Spell(id, "林四", "460100", 11, "2016-03", "2019-12", "mutual-agreement")));
        var submitted = await (await _app.Portal.SubmitAsync(People.Application(id, "林四"))).JsonAsync();
        var applicationId = submitted.GetProperty("applicationId").GetString()!;
        using var staff = await _app.StaffAsync("460100-01-r2");

        var spells = (await staff.GetJsonAsync($"/api/v1/applications/{applicationId}/spells")).EnumerateArray().ToList();

        Assert.Equal(["2016-03", "2020-01"], spells.Select(s => s.GetProperty("startMonth").GetString()));
        Assert.Equal(("460100", "测试公司11", "2019-12", "mutual-agreement"), (spells[0].GetProperty("cityCode").GetString(),
            spells[0].GetProperty("employerName").GetString(), spells[0].GetProperty("endMonth").GetString(),
            spells[0].GetProperty("separationReason").GetString()));
        Assert.Equal(JsonValueKind.Null, spells[1].GetProperty("endMonth").ValueKind);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.Portal.GetAsync($"/api/v1/applications/{applicationId}/spells")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await staff.GetAsync($"/api/v1/applications/{Guid.NewGuid()}/spells")).StatusCode);
    }

    [Fact]
    public async Task The_console_is_served_at_console_and_its_own_routes_fall_back_to_its_page()
    {
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _app.Address };

        var bare = await noRedirects.GetAsync("/console");
        var page = await _app.Anonymous.GetAsync("/console/review/cases/" + Guid.NewGuid());
        var missingAsset = await _app.Anonymous.GetAsync("/console/assets/no-such-file.js");

        Assert.Equal((HttpStatusCode.Redirect, "/console/"), (bare.StatusCode, bare.Headers.Location?.OriginalString));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<div id=\"app\"></div>", await page.Content.ReadAsStringAsync());
        Assert.Equal("no-cache", page.Headers.CacheControl?.ToString());
        Assert.Equal(HttpStatusCode.NotFound, missingAsset.StatusCode);
    }
}
