using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Tongban.Tests.Infrastructure;

namespace Tongban.Tests.Hosting;

/// <summary>
/// Every error leaves as application/problem+json with type, title, status, detail and the request id (CONTRACT.md,
/// Conventions) — also those the framework answers: authentication, role checks, routing, content types, limits.
/// </summary>
public abstract class ProblemResponseSpec(Store store) : IAsyncLifetime
{
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync(store);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()), body);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()), body);
        Assert.True(problem.TryGetProperty("type", out _), body);
        var requestId = Assert.Single(response.Headers.GetValues("X-Request-Id"));
        Assert.Equal(requestId, problem.GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task Missing_or_unknown_credentials_get_a_401_problem_with_a_detail()
    {
        await AssertProblemAsync(await _app.Anonymous.GetAsync("/api/v1/admin/payout-runs"), HttpStatusCode.Unauthorized);
        using var forged = new HttpClient { BaseAddress = _app.Address };
        forged.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "made-up");
        await AssertProblemAsync(await forged.GetAsync("/api/v1/review-queue?stage=first-review"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_reviewer_on_an_administrator_endpoint_gets_a_403_problem_with_a_detail()
    {
        using var reviewer = await _app.StaffAsync("460100-01-r1");
        await AssertProblemAsync(await reviewer.GetAsync("/api/v1/admin/notifications"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_method_the_route_does_not_take_gets_a_405_problem_and_an_unknown_path_a_404_problem()
    {
        using var admin = await _app.StaffAsync("admin");
        await AssertProblemAsync(await admin.DeleteAsync("/api/v1/admin/payout-runs"), HttpStatusCode.MethodNotAllowed);
        await AssertProblemAsync(await admin.GetAsync("/api/v1/no-such-thing"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_body_of_the_wrong_content_type_gets_a_415_problem_with_a_detail()
    {
        using var admin = await _app.StaffAsync("admin");
        var json = new StringContent("{}", Encoding.UTF8, "application/json");
        await AssertProblemAsync(await admin.PostAsync("/api/v1/admin/insured-persons/import", json), HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_request_with_a_40_kB_header_gets_a_431_problem_not_a_bare_status()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/reference/cities");
        request.Headers.Add("X-Padding", new string('a', 40 * 1024));
        await AssertProblemAsync(await _app.Anonymous.SendAsync(request), HttpStatusCode.RequestHeaderFieldsTooLarge);
    }

    [Fact]
    public async Task A_request_line_over_8_kB_gets_a_414_problem()
    {
        await AssertProblemAsync(await _app.Anonymous.GetAsync("/api/v1/reference/cities?q=" + new string('a', 9 * 1024)),
            HttpStatusCode.RequestUriTooLong);
    }
}

public sealed class ProblemResponseOnSqlite() : ProblemResponseSpec(Store.Sqlite);

public sealed class ProblemResponseOnPostgres() : ProblemResponseSpec(Store.Postgres);
