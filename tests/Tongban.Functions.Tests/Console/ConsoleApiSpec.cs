using System.Net;
using System.Net.Http.Headers;
using Tongban.Tests.Infrastructure;

namespace Tongban.Tests.StaffConsole;

/// <summary>What the console asks the API beyond the v1 contract: who is signed in, and a case's SMS for any staff member.</summary>
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
}
