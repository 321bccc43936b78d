using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Tongban.Tests.Infrastructure;

public static class Http
{
    public static async Task<HttpResponseMessage> SubmitAsync(this HttpClient portal, object body, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/applications") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString());
        return await portal.SendAsync(request);
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.JsonAsync();
    }

    /// <summary>
    /// Asserts a refusal as a portal or the console reads it: the status, a problem+json body and its machine-readable
    /// <c>code</c> (spelled out at each call, as the wire carries it, so that renaming a code fails a test); returns the problem.
    /// </summary>
    public static async Task<JsonElement> AssertRefusedAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status} {code}, got {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.True(problem.TryGetProperty("code", out var actual), $"No code in {body}");
        Assert.Equal(code, actual.GetString());
        return problem;
    }

    public static async Task<JsonElement> AssertRefusedAsync(this Task<HttpResponseMessage> response, HttpStatusCode status, string code) =>
        await (await response).AssertRefusedAsync(status, code);

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object body) =>
        client.PostAsJsonAsync(path, body);

    /// <summary>Polls until the application reaches a status other than <c>verifying</c> (the work pump runs in the background).</summary>
    public static async Task<JsonElement> WaitForStatusAsync(this HttpClient client, string applicationId, params string[] statuses)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var application = await client.GetJsonAsync($"/api/v1/applications/{applicationId}");
            if (statuses.Contains(application.GetProperty("status").GetString())) return application;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"Application {applicationId} stayed {application.GetProperty("status")}, expected {string.Join("/", statuses)}.");
            await Task.Delay(50);
        }
    }
}
