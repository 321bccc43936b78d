using System.Net;
using System.Text;
using System.Text.Json;
using Dapper;
using Tongban.Storage;
using Tongban.Tests.Infrastructure;
using Tongban.Tests.Payouts;

namespace Tongban.Tests.CrossChecks;

/// <summary>The cross-check side of a payout driver: comparison files, the city's matches, decisions, and a look at the rows.</summary>
public static class CrossCheckDriver
{
    public const string Header = "idNumber,name,province,kind,since,until";

    public static string Csv(params string[] lines) => new StringBuilder(Header).Append('\n').AppendJoin('\n', lines).Append('\n').ToString();

    public static string Line(Person person, string province, string kind, string since, string until = "") =>
        $"{person.IdNumber},{person.Name},{province},{kind},{since},{until}";

    public static async Task<HttpResponseMessage> PostCrossChecksAsync(this PayoutDriver d, string csv) =>
        await d.Admin.PostAsync("/api/v1/admin/cross-checks", new StringContent(csv, Encoding.UTF8, "text/csv"));

    public static async Task<JsonElement> CrossChecksAsync(this PayoutDriver d, string csv)
    {
        var response = await d.PostCrossChecksAsync(csv);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.JsonAsync();
    }

    public static async Task<List<JsonElement>> MatchesAsync(this PayoutDriver d, string staff, string status = "open")
    {
        using var client = await d.App.StaffAsync(staff);
        return (await client.GetJsonAsync($"/api/v1/cross-check-matches?status={status}")).EnumerateArray().ToList();
    }

    public static async Task<HttpResponseMessage> DecideAsync(this PayoutDriver d, string staff, string matchId, object body)
    {
        using var client = await d.App.StaffAsync(staff);
        return await client.PostJsonAsync($"/api/v1/cross-check-matches/{matchId}/decision", body);
    }

    public static async Task<long> CountAsync(this PayoutDriver d, string sql, object? args = null)
    {
        await using var c = await d.App.Services.GetRequiredService<Database>().OpenAsync();
        return await c.ExecuteScalarAsync<long>(sql, args);
    }

    public static async Task<string> StatusAsync(this PayoutDriver d, string applicationId) =>
        (await d.App.Portal.GetJsonAsync($"/api/v1/applications/{applicationId}")).GetProperty("status").GetString()!;

    public static async Task<List<string>> HistoryAsync(this PayoutDriver d, string applicationId) =>
        (await d.App.Portal.GetJsonAsync($"/api/v1/applications/{applicationId}")).GetProperty("history").EnumerateArray()
        .Select(h => h.GetProperty("type").GetString()!).ToList();
}
