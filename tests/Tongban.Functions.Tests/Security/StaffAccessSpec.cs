using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Dapper;
using Tongban.Storage;
using Tongban.Tests.Infrastructure;

namespace Tongban.Tests.Security;

public abstract class StaffAccessSpec(Store store) : IAsyncLifetime
{
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync(store);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_wrong_password_or_a_made_up_token_gets_401_and_a_reviewer_gets_403_on_admin_endpoints()
    {
        var wrong = await _app.Anonymous.PostAsJsonAsync("/api/v1/auth/token", new { username = "admin", password = "guess" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType!.MediaType);
        var missing = await _app.Anonymous.PostAsJsonAsync("/api/v1/auth/token", new { username = "admin" });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);

        using var forged = new HttpClient { BaseAddress = _app.Address };
        forged.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "made-up");
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/api/v1/review-queue?stage=first-review")).StatusCode);

        using var reviewer = await _app.StaffAsync("460100-01-r1");
        Assert.Equal(HttpStatusCode.Forbidden, (await reviewer.GetAsync("/api/v1/admin/notifications")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await reviewer.GetAsync("/api/v1/review-queue?stage=everything")).StatusCode);
        // A portal key is not a staff token, nor a staff token a portal key: each is told which the endpoint takes.
        var portalAtStaff = await _app.Portal.GetAsync("/api/v1/review-queue?stage=first-review");
        Assert.Equal(HttpStatusCode.Unauthorized, portalAtStaff.StatusCode);
        Assert.StartsWith("This endpoint is for staff", (await portalAtStaff.JsonAsync()).GetProperty("detail").GetString());
        var staffAtPortal = await reviewer.PostJsonAsync("/api/v1/applications", new { });
        Assert.Equal(HttpStatusCode.Unauthorized, staffAtPortal.StatusCode);
        Assert.StartsWith("This endpoint is for portals", (await staffAtPortal.JsonAsync()).GetProperty("detail").GetString());
        Assert.StartsWith("The credentials sent are unknown", (await (await forged.GetAsync("/api/v1/review-queue?stage=first-review")).JsonAsync())
            .GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Wrong_passwords_lock_that_account_for_a_while_and_nobody_else_behind_the_same_address()
    {
        Task<HttpResponseMessage> SignInAsync(string username, string password) =>
            _app.Anonymous.PostAsJsonAsync("/api/v1/auth/token", new { username, password });

        for (var i = 0; i < Tongban.Security.LoginThrottle.MaxFailures; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync("460100-01-r1", "guess" + i)).StatusCode);

        // Even the right password waits now, told for how long.
        var locked = await SignInAsync("460100-01-r1", TestApp.Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.Equal("application/problem+json", locked.Content.Headers.ContentType!.MediaType);
        var wait = Assert.Single(locked.Headers.GetValues("Retry-After"));
        Assert.InRange(int.Parse(wait), 1, (int)Tongban.Security.LoginThrottle.Window.TotalSeconds);

        // A colleague at the same address signs in; a typo of theirs is forgotten once they get it right.
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync("460100-01-r2", "typo")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync("460100-01-r2", TestApp.Password)).StatusCode);
        for (var i = 0; i < Tongban.Security.LoginThrottle.MaxFailures - 1; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync("460100-01-r2", "typo")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync("460100-01-r2", TestApp.Password)).StatusCode);
    }

    [Fact]
    public async Task Staff_handling_a_case_may_reveal_full_values_with_a_reason_and_each_reveal_is_audited()
    {
        var id = People.IdNumber(1);
        await _app.ImportAsync(People.Csv(People.EligibleInSanya(1)));
        var applicationId = (await (await _app.Portal.SubmitAsync(People.Application(id))).JsonAsync()).GetProperty("applicationId").GetString()!;
        var path = $"/api/v1/applications/{applicationId}/reveal";

        using var accepting = await _app.StaffAsync("460100-01-r1");
        Assert.Equal(HttpStatusCode.BadRequest, (await accepting.PostAsJsonAsync(path, new { reason = "" })).StatusCode);
        var revealed = await (await accepting.PostAsJsonAsync(path, new { reason = "窗口核对身份证原件" })).JsonAsync();
        Assert.Equal(id, revealed.GetProperty("idNumber").GetString());
        Assert.Equal("13800138000", revealed.GetProperty("mobile").GetString());

        using var elsewhere = await _app.StaffAsync("460400-01-r1");
        await elsewhere.PostAsJsonAsync(path, new { reason = "好奇" }).AssertRefusedAsync(HttpStatusCode.Forbidden, "outside-case-scope");

        await using var connection = await _app.Services.GetRequiredService<Database>().OpenAsync();
        var audit = (await connection.QueryAsync<(string Actor, string Reason)>(
            "SELECT actor, reason FROM personal_data_reveals WHERE application_id = @applicationId", new { applicationId })).ToList();
        Assert.Equal([("460100-01-r1", "窗口核对身份证原件")], audit);
    }
}

public sealed class StaffAccessOnSqlite() : StaffAccessSpec(Store.Sqlite);

public sealed class StaffAccessOnPostgres() : StaffAccessSpec(Store.Postgres);
