using System.Net;
using System.Text;
using System.Text.Json;
using Dapper;
using Tongban.Storage;
using Tongban.Tests.Infrastructure;

namespace Tongban.Tests.Hosting;

/// <summary>
/// JSON request bodies (CONTRACT.md, Conventions): numbers are JSON numbers, never strings that look like one, and a 400
/// names every field of the wrong type, not only the first the serializer met — and nothing is stored.
/// </summary>
public abstract class JsonBodySpec(Store store) : IAsyncLifetime
{
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync(store);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>The 400 problem's errors, field by field, each field's first message.</summary>
    private static async Task<Dictionary<string, string>> ErrorsAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.GetProperty("errors").EnumerateObject()
            .ToDictionary(e => e.Name, e => e.Value[0].GetString()!);
    }

    private async Task<long> CountAsync(string table)
    {
        await using var c = await _app.Services.GetRequiredService<Database>().OpenAsync();
        return await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}");
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    public async Task An_empty_body_asks_for_a_JSON_object(string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/applications") { Content = Json(body) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());

        var errors = await ErrorsAsync(await _app.Portal.SendAsync(request));

        Assert.Equal("A JSON object is required.", Assert.Single(errors, e => e.Key == "$").Value);
    }

    [Fact]
    public async Task A_member_given_twice_is_refused_naming_it_and_nothing_is_stored()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/applications")
        {
            Content = Json("""
                {"serviceItem": "unemployment-benefit", "channel": "counter", "acceptingOffice": "460100-01",
                 "applicant": {"idNumber": "110105194912310021", "name": "王五", "name": "赵六", "mobile": "13800138000"}}
                """),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());

        var errors = await ErrorsAsync(await _app.Portal.SendAsync(request));

        Assert.Contains("applicant.name", errors.Keys);
        Assert.Equal("Given more than once: give each member once.", errors["applicant.name"]);
        Assert.Equal(0, await CountAsync("applications"));
    }

    [Theory]
    [InlineData("application/json; charset=gbk", "gbk")]
    [InlineData("application/json; charset=utf-16", "utf-16")]
    public async Task A_body_in_another_charset_than_UTF_8_is_a_415_that_says_so(string contentType, string charset)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/applications")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"serviceItem":"unemployment-benefit"}""")),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());

        var response = await _app.Portal.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains($"not {charset}", (await response.Content.ReadAsStringAsync()));
        using var utf8 = new HttpRequestMessage(HttpMethod.Post, "/api/v1/applications")
        {
            Content = new StringContent("""{"serviceItem":"unemployment-benefit"}""", Encoding.UTF8, "application/json"),
        };
        utf8.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.BadRequest, (await _app.Portal.SendAsync(utf8)).StatusCode);
    }

    [Fact]
    public async Task Every_field_of_the_wrong_type_is_named_not_only_the_first()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/applications")
        {
            Content = Json("""
                {"serviceItem": 42, "channel": true, "acceptingOffice": "460100-01",
                 "applicant": {"idNumber": 110105194912310021, "name": "王五", "mobile": 13800138000}}
                """),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());

        var errors = await ErrorsAsync(await _app.Portal.SendAsync(request));

        Assert.Equal(["applicant.idNumber", "applicant.mobile", "channel", "serviceItem"], errors.Keys.Order());
        Assert.All(errors.Values, message => Assert.Equal("Must be a string.", message));
        Assert.Equal(0, await CountAsync("applications"));
    }

    [Fact]
    public async Task Numbers_written_as_strings_are_refused_naming_the_field_and_wrong_types_in_an_array_by_their_index()
    {
        using var supervisor = await _app.StaffAsync("460200-sup");
        var today = (await supervisor.GetJsonAsync("/api/v1/supervision/staffing")).GetProperty("date").GetString()!;

        var errors = await ErrorsAsync(await supervisor.PutAsync("/api/v1/supervision/staffing", Json($$"""
            {"date": "{{today}}", "offices": [{"office": "460200-01", "reviewers": "3"}, {"office": 460200, "reviewers": 2}]}
            """)));

        Assert.Equal(["offices[0].reviewers", "offices[1].office"], errors.Keys.Order());
        Assert.Equal(("Must be a whole number of at most 9 digits.", "Must be a string."), (errors["offices[0].reviewers"], errors["offices[1].office"]));
        Assert.Equal(0, await CountAsync("office_staffing"));
    }

    [Fact]
    public async Task A_death_reported_with_the_dependants_as_a_string_is_refused_naming_dependants()
    {
        using var reviewer = await _app.StaffAsync("460100-01-r1");

        var errors = await ErrorsAsync(await reviewer.PostAsync($"/api/v1/applications/{Guid.NewGuid()}/events", Json("""
            {"type": "died", "date": "2026-01-05", "dependants": "2",
             "reporter": {"name": "王丽", "relationship": "child", "mobile": "13912345678"}}
            """)));

        Assert.Equal("Must be a whole number of at most 9 digits.", Assert.Single(errors, e => e.Key == "dependants").Value);
    }
}

public sealed class JsonBodyOnSqlite() : JsonBodySpec(Store.Sqlite);

public sealed class JsonBodyOnPostgres() : JsonBodySpec(Store.Postgres);
