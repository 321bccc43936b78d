using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Tongban.Storage;
using Tongban.Tests.Infrastructure;
using Tongban.Tests.Payouts;

namespace Tongban.Tests.CrossChecks;

/// <summary>
/// The cross-check side of a payout driver: comparison files, the city's matches, decisions, and a look at the rows; and for
/// the app run as its own process, a signed-in client and a look at its store.
/// </summary>
public static class CrossCheckDriver
{
    public const string Header = "idNumber,name,province,kind,since,until";

    /// <summary>
    /// An app on 20 October 2026 whose October run has paid, with <paramref name="recipient"/> approved then (24 months
    /// from October). Decisions wait 2000 working days, so no durable timer escalates a match behind a test's back.
    /// </summary>
    public static async Task<(PayoutDriver Driver, string ApplicationId)> StartWithRecipientAsync(Store store, Person recipient)
    {
        var d = await PayoutDriver.StartAsync(store, new DateTimeOffset(2026, 10, 20, 9, 0, 0, PayoutDriver.China), "--CrossChecks:DecisionWorkingDays=2000");
        await d.ScheduledRunAsync("2026-10");
        await d.ImportAsync(recipient.Spell());
        return (d, await d.ApproveAsync(recipient));
    }

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

    /// <summary>A count read straight from the store, also while the app is down.</summary>
    public static async Task<long> CountAsync(this TestStore store, string sql, object? args = null)
    {
        await using var database = store.Open();
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql, args);
    }

    /// <summary>Rows read straight from the store, also while the app is down.</summary>
    public static async Task<List<T>> QueryAsync<T>(this TestStore store, string sql, object? args = null)
    {
        await using var database = store.Open();
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<T>(sql, args)).ToList();
    }

    /// <summary>Polls <paramref name="count"/> until it reads <paramref name="expected"/>; fails after two minutes.</summary>
    public static async Task WaitUntilAsync(Func<Task<long>> count, long expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        long last;
        while ((last = await count()) != expected)
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Still {last}, expected {expected}, after 120 s.");
            await Task.Delay(200);
        }
    }
}
