using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Tongban.Domain.Claims;
using Tongban.Storage;
using Tongban.Tests.Infrastructure;

namespace Tongban.Tests.Intake;

/// <summary>Portal intake: bad input is a 4xx problem that names the field and stores nothing; keys make it idempotent.</summary>
public abstract class IntakeSpec(Store store) : IAsyncLifetime
{
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync(store);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    public static TheoryData<string, string, string> BadBodies => new()
    {
        { "{\"serviceItem\": ", "serviceItem", "malformed JSON" },
        { "{\"serviceItem\": 42, \"channel\": \"counter\"}", "serviceItem", "wrong type" },
        { "{\"serviceItem\":\"unemployment-benefit\",\"channel\":\"counter\",\"applicant\":{\"idNumber\":true}}", "applicant.idNumber", "nested wrong type" },
        { "[1, 2]", "$", "not an object" },
        { "{\"serviceItem\":\"unemployment-benefit\",\"channel\":\"counter\",\"acceptingOffice\":\"460100-01\",\"applicant\":{\"idNumber\":\"11010519491231002Y\",\"name\":\"王五\",\"mobile\":\"13800138000\"}}", "applicant.idNumber", "bad identity number" },
        { "{\"serviceItem\":\"unemployment-benefit\",\"channel\":\"counter\",\"acceptingOffice\":\"460100-01\",\"applicant\":{\"idNumber\":\"11010519491231002X\",\"name\":\"王五\",\"mobile\":\"12345\"}}", "applicant.mobile", "bad mobile" },
        { "{\"serviceItem\":\"unemployment-benefit\",\"channel\":\"counter\",\"acceptingOffice\":\"999999-01\",\"applicant\":{\"idNumber\":\"11010519491231002X\",\"name\":\"王五\",\"mobile\":\"13800138000\"}}", "acceptingOffice", "unknown office" },
        { "{\"serviceItem\":\"unemployment-benefit\",\"channel\":\"counter\",\"applicant\":{\"idNumber\":\"11010519491231002X\",\"name\":\"王五\",\"mobile\":\"13800138000\"}}", "acceptingOffice", "counter without office" },
        { "{\"serviceItem\":\"pet-insurance\",\"channel\":\"online\",\"applicant\":{\"idNumber\":\"11010519491231002X\",\"name\":\"王五\",\"mobile\":\"13800138000\"}}", "serviceItem", "unknown service item" },
        { "{\"serviceItem\":\"unemployment-benefit\",\"channel\":\"fax\",\"applicant\":{\"idNumber\":\"11010519491231002X\",\"name\":\"王五\",\"mobile\":\"13800138000\"}}", "channel", "unknown channel" },
        { "{\"serviceItem\":\"unemployment-benefit\",\"channel\":\"online\"}", "applicant", "missing applicant" },
        { "{\"serviceItem\":\"unemployment-benefit\",\"channel\":\"online\",\"applicant\":{\"idNumber\":\"11010520991231002X\",\"name\":\"王五\",\"mobile\":\"13800138000\"}}", "applicant.idNumber", "birth date in the future" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_input_is_a_problem_naming_the_field_and_stores_nothing(string body, string field, string because)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/applications")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var response = await _app.Portal.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.JsonAsync();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{because}: {problem}");
        Assert.DoesNotContain("System.", problem.GetRawText());
        Assert.Equal(0, await CountAsync("applications"));
    }

    [Fact]
    public async Task Missing_key_unknown_key_wrong_media_type_and_oversized_bodies_are_refused()
    {
        var noKey = await _app.Portal.PostAsJsonAsync("/api/v1/applications", People.Application(People.IdNumber(1)));
        Assert.Equal(HttpStatusCode.BadRequest, noKey.StatusCode);
        Assert.True((await noKey.JsonAsync()).GetProperty("errors").TryGetProperty("Idempotency-Key", out _));

        var anonymous = await _app.Anonymous.SubmitAsync(People.Application(People.IdNumber(1)));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType!.MediaType);

        using var wrongKey = new HttpClient { BaseAddress = _app.Address };
        wrongKey.DefaultRequestHeaders.Add("X-Api-Key", "not-a-key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrongKey.SubmitAsync(People.Application(People.IdNumber(1)))).StatusCode);

        using var text = new HttpRequestMessage(HttpMethod.Post, "/api/v1/applications") { Content = new StringContent("hello") };
        text.Headers.Add("Idempotency-Key", "k1");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await _app.Portal.SendAsync(text)).StatusCode);

        var huge = new { serviceItem = "unemployment-benefit", channel = "online", details = new { notes = new string('a', 100_000) } };
        var tooLarge = await _app.Portal.SubmitAsync(huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal("application/problem+json", tooLarge.Content.Headers.ContentType!.MediaType);
        Assert.Equal(0, await CountAsync("applications"));
    }

    [Fact]
    public async Task The_same_key_and_body_return_the_same_response_and_another_body_is_422()
    {
        var body = People.Application(People.IdNumber(2));
        var first = await _app.Portal.SubmitAsync(body, "key-2");
        var again = await _app.Portal.SubmitAsync(body, "key-2");
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal((await first.JsonAsync()).GetProperty("applicationId").GetString(), (await again.JsonAsync()).GetProperty("applicationId").GetString());
        Assert.Equal(first.Headers.Location, again.Headers.Location);

        var other = await _app.Portal.SubmitAsync(People.Application(People.IdNumber(3)), "key-2");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal(1, await CountAsync("applications"));
    }

    [Fact]
    public async Task A_second_open_application_of_the_same_person_is_409_with_the_existing_id()
    {
        await _app.ImportAsync(People.Csv(People.EligibleInSanya(4)));
        var first = await _app.Portal.SubmitAsync(People.Application(People.IdNumber(4)));
        var second = await _app.Portal.SubmitAsync(People.Application(People.IdNumber(4), channel: "online", office: null));
        var open = await second.AssertRefusedAsync(HttpStatusCode.Conflict, "open-application-exists");
        Assert.Equal((await first.JsonAsync()).GetProperty("applicationId").GetString(), open.GetProperty("existingApplicationId").GetString());
    }

    [Fact]
    public async Task Fifty_concurrent_submissions_for_one_person_make_exactly_one_application()
    {
        var id = People.IdNumber(5);
        await _app.ImportAsync(People.Csv(People.EligibleInSanya(5)));
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => _app.Portal.SubmitAsync(People.Application(id))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Accepted);
        Assert.Equal(49, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(1, await CountAsync("applications"));
        // One 'received' SMS. (The month's outreach campaign, started by its timer with the app, may have texted the
        // person between the import and the submissions: that SMS belongs to no application.)
        Assert.Equal(1, await CountAsync("notifications WHERE application_id IS NOT NULL"));
    }

    [Fact]
    public async Task Fifty_concurrent_retries_with_one_key_make_one_application_and_the_same_answer()
    {
        var body = People.Application(People.IdNumber(6));
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => _app.Portal.SubmitAsync(body, "retry-key")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.JsonAsync()).GetProperty("applicationId").GetString()));
        Assert.Single(ids.Distinct());
        Assert.Equal(1, await CountAsync("applications"));
    }

    [Fact]
    public async Task Every_response_carries_a_request_id_and_the_openapi_document_and_health_are_served()
    {
        var health = await _app.Anonymous.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.True(health.Headers.Contains("X-Request-Id"));
        var openapi = await _app.Anonymous.GetJsonAsync("/openapi/v1.json");
        Assert.True(openapi.GetProperty("paths").TryGetProperty("/api/v1/applications", out _));
        var schemes = openapi.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("X-Api-Key", schemes.GetProperty("portalKey").GetProperty("name").GetString());
        Assert.Equal("bearer", schemes.GetProperty("staffToken").GetProperty("scheme").GetString());
        var code = openapi.GetProperty("components").GetProperty("schemas").GetProperty("ProblemDetails").GetProperty("properties").GetProperty("code");
        Assert.Equal("string", code.GetProperty("type").GetString());
        Assert.Equal(RefusalCode.All, code.GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).ToList());
        // An application as the API shows it, with what staff are told about deciding it.
        Assert.Equal(["stage", "mayDecide", "refusal", "seesEntitlementPreview"], openapi.GetProperty("components").GetProperty("schemas")
            .GetProperty("ReviewView").GetProperty("properties").EnumerateObject().Select(p => p.Name));
        Assert.Contains("ApplicationView", openapi.GetProperty("paths").GetProperty("/api/v1/applications/{id}").GetProperty("get")
            .GetProperty("responses").GetProperty("200").GetRawText());
        // Every answer with a body documents what it is; staff decisions their refusals too, as problem+json with the code.
        var undocumented = openapi.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => (Operation: $"{operation.Name.ToUpperInvariant()} {path.Name}",
                Responses: operation.Value.GetProperty("responses").EnumerateObject().ToList())))
            .Where(o => o.Operation.Contains(" /api/v1/") && (!o.Responses.Any(r => r.Name.StartsWith('2')) || o.Responses.Any(r =>
                r.Name.StartsWith('2') && r.Name != "204" && !(r.Value.TryGetProperty("content", out var content)
                    && content.EnumerateObject().Any() && content.EnumerateObject().All(c => c.Value.TryGetProperty("schema", out _))))))
            .Select(o => o.Operation).ToList();
        Assert.Empty(undocumented);
        string Answer(string path, string method, string status) =>
            openapi.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses").GetProperty(status).GetRawText();
        foreach (var decision in new[] { "/api/v1/applications/{id}/first-review", "/api/v1/applications/{id}/final-review" })
        {
            Assert.Contains("#/components/schemas/ReviewResponse", Answer(decision, "post", "200"));
            Assert.Contains("#/components/schemas/HttpValidationProblemDetails", Answer(decision, "post", "400"));
            foreach (var refused in new[] { "403", "404", "409" })
                Assert.Contains("#/components/schemas/ProblemDetails", Answer(decision, "post", refused));
        }
        Assert.Contains("#/components/schemas/EntitlementPreview", Answer("/api/v1/applications/{id}/entitlement-preview", "get", "200"));
        Assert.Contains("#/components/schemas/ProblemDetails", Answer("/api/v1/applications/{id}/entitlement-preview", "get", "409"));
        Assert.Contains("#/components/schemas/ReassignResponse", Answer("/api/v1/applications/{id}/reassign", "post", "200"));
        Assert.Contains("#/components/schemas/ProblemDetails", Answer("/api/v1/applications/{id}/reassign", "post", "403"));
        var queue = JsonDocument.Parse(Answer("/api/v1/review-queue", "get", "200")).RootElement.GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.Equal("array", queue.GetProperty("type").GetString());
        Assert.Equal("#/components/schemas/QueueEntry", queue.GetProperty("items").GetProperty("$ref").GetString());
        Assert.Equal(["applicationId", "caseNumber", "status", "receivedAt", "dueAt", "overdue"], openapi.GetProperty("components").GetProperty("schemas")
            .GetProperty("QueueEntry").GetProperty("properties").EnumerateObject().Select(p => p.Name));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/applications/" + Guid.NewGuid());
        request.Headers.Add("X-Request-Id", "portal-trace-1");
        var missing = await _app.Portal.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("portal-trace-1", missing.Headers.GetValues("X-Request-Id").Single());
        var cities = await _app.Anonymous.GetJsonAsync("/api/v1/reference/cities");
        Assert.Equal(1830.00m, cities.EnumerateArray().Single(c => c.GetProperty("code").GetString() == "460200").GetProperty("benefitStandard").GetDecimal());
    }

    private async Task<long> CountAsync(string table)
    {
        await using var connection = await _app.Services.GetRequiredService<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}");
    }
}

public sealed class IntakeOnSqlite() : IntakeSpec(Store.Sqlite);

public sealed class IntakeOnPostgres() : IntakeSpec(Store.Postgres);
