using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Tongban.CrossChecks;
using Tongban.Domain;
using Tongban.Tests.Infrastructure;

namespace Tongban.Tests.CrossChecks;

/// <summary>
/// Kill the app (SIGKILL) in the middle of a comparison file's import, restart it and import the same file again: the run
/// the process died in is recognisably incomplete and kept what it committed; the second import stores and suspends only
/// the rest — every match suspended once, each hold notice sent once, at the gateway too. Recipients are written straight
/// into the store (approved twelve-month benefits, as the benchmark seeds them); the file gives each a line that overlaps
/// and many that do not; matches commit one at a time (<c>CrossChecks:MatchesPerCommit</c>), a thousand commits. Once the first commit is seen
/// the test holds what the next one needs (the run's row) and kills the app while it waits. Imported in one transaction,
/// the file's matches would all appear at its end, with the response.
/// </summary>
public abstract class CrossCheckCrashSpec(Store kind) : IAsyncLifetime
{
    private const int Recipients = 1_000;
    private const int LinesPerRecipient = 20;
    private static readonly string[] Provinces = ["广东省", "福建省", "浙江省", "江苏省", "四川省", "湖南省", "湖北省", "河南省", "山东省", "安徽省"];
    private TestStore _store = null!;
    private AppProcess? _app;

    public async ValueTask InitializeAsync() => _store = await TestStore.CreateAsync(kind);

    public async ValueTask DisposeAsync()
    {
        // A failed assertion must not leave a child process running.
        if (_app is not null) await _app.DisposeAsync();
        await _store.DisposeAsync();
    }

    [Fact]
    public async Task Killed_mid_import_and_imported_again_every_match_is_suspended_once_and_texted_once()
    {
        var port = AppProcess.FreePort();
        // Matches wait far longer than the test for their decision: no escalation runs behind its back.
        string[] settings = ["--Sms:RetryAfterSeconds=2", "--CrossChecks:DecisionWorkingDays=2000", "--CrossChecks:MatchesPerCommit=1"];
        _app = await AppProcess.StartAsync(_store, port, settings);
        var start = YearMonth.Of(DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8))).AddMonths(-2);
        await SeedRecipientsAsync(start);
        var csv = ComparisonFile(start);

        var importing = PostAsync(_app.Address, csv);
        while (await _store.CountAsync("SELECT COUNT(*) FROM cross_check_matches") == 0)
        {
            if (importing.IsCompleted) Assert.Fail("The import ended before any of its commits was seen: " + await Outcome(importing));
            await Task.Delay(5);
        }
        // Hold the store's writer (SQLite) or the run's row (PostgreSQL): the import's next commit waits, and dies waiting.
        await using (var database = _store.Open())
        await using (var connection = await database.OpenAsync())
        await using (var hold = await connection.BeginTransactionAsync())
        {
            await connection.ExecuteAsync("UPDATE cross_check_runs SET matched = matched", transaction: hold);
            await _app.KillAsync();
        }
        Assert.Null(await Outcome(importing));

        var committed = await _store.CountAsync("SELECT COUNT(*) FROM cross_check_matches");
        Assert.InRange(committed, 1, Recipients - 1);
        var died = await RunsAsync();
        Assert.Equal(RunStatus.Importing, Assert.Single(died).Status);
        Assert.Equal(committed, Assert.Single(died).Matched);
        Assert.Equal(committed, await _store.CountAsync("SELECT COUNT(*) FROM applications WHERE status = 'suspended'"));

        _app = await AppProcess.StartAsync(_store, port, settings);
        var response = await PostAsync(_app.Address, csv);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var again = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((Recipients, Recipients - (int)committed, (int)committed, 0), (again.GetProperty("matched").GetInt32(),
            again.GetProperty("suspended").GetInt32(), again.GetProperty("alreadyMatched").GetInt32(), again.GetProperty("rejected").GetArrayLength()));
        await CrossCheckDriver.WaitUntilAsync(() => _store.CountAsync("SELECT COUNT(*) FROM notifications WHERE template = 'cross-check-held' AND status = 'sent'"), Recipients);
        await _app.DisposeAsync();

        var runs = await RunsAsync();
        Assert.Equal([RunStatus.Completed, RunStatus.Importing], runs.Select(r => r.Status).Order());
        Assert.Equal(Recipients, await _store.CountAsync("SELECT COUNT(*) FROM cross_check_matches"));
        Assert.Equal(Recipients, await _store.CountAsync("SELECT COUNT(*) FROM applications WHERE status = 'suspended'"));
        Assert.Equal(Recipients, await _store.CountAsync("SELECT COUNT(*) FROM application_events WHERE type = 'cross-check-suspended'"));
        Assert.Equal(0, await _store.CountAsync(
            "SELECT COUNT(*) FROM (SELECT application_id FROM notifications WHERE template = 'cross-check-held' GROUP BY application_id HAVING COUNT(*) > 1) doubled"));
        var sent = (await File.ReadAllLinesAsync(Path.Combine(_store.Folder, "sms-outbox.jsonl")))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("key").GetString()).ToList();
        Assert.Equal(sent.Count, sent.Distinct().Count());
        Assert.Equal(Recipients, await _store.CountAsync("SELECT COUNT(*) FROM notifications WHERE template = 'cross-check-held'"));
    }

    /// <summary>
    /// Recipient i (identity number <see cref="People.IdNumber"/>) overlaps in Guangdong from the month after its benefit
    /// began, and worked in each other province years before it (no overlap).
    /// </summary>
    private static string ComparisonFile(YearMonth start)
    {
        var csv = new StringBuilder(CrossCheckDriver.Header).Append('\n');
        for (var i = 0; i < Recipients; i++)
        {
            csv.Append($"{People.IdNumber(i)},王小明,{Provinces[0]},insured,{start.AddMonths(1).FirstDay:yyyy-MM-dd},\n");
            for (var line = 1; line < LinesPerRecipient; line++)
                csv.Append($"{People.IdNumber(i)},王小明,{Provinces[line % Provinces.Length]},employed,{2000 + line / Provinces.Length}-03-01,{2000 + line / Provinces.Length}-12-31\n");
        }
        return csv.ToString();
    }

    private async Task SeedRecipientsAsync(YearMonth start)
    {
        var protector = TestApp.Protector();
        await using var database = _store.Open();
        await database.InTransactionAsync(async (c, t) =>
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            for (var i = 0; i < Recipients; i++)
                await c.ExecuteAsync(
                    """
                    INSERT INTO applications (id, case_number, service_item, channel, status, is_open, person_key, id_number_enc, name_enc,
                        mobile_enc, portal_id, insuring_city, entitlement_months, monthly_fen, start_month, end_month, received_at, updated_at,
                        version, first_issued_at)
                    VALUES (@id, @caseNumber, 'unemployment-benefit', 'online', 'approved', 1, @personKey, @idEnc, @nameEnc, @mobileEnc, 'test',
                        '460200', 12, 183000, @start, @end, @now, @now, 3, @now)
                    """,
                    new
                    {
                        id = Guid.NewGuid().ToString(), caseNumber = $"CRASH-{i}", personKey = protector.PersonKey(People.IdNumber(i)),
                        idEnc = protector.Encrypt(People.IdNumber(i)), nameEnc = protector.Encrypt("王小明"), mobileEnc = protector.Encrypt("13800138000"),
                        start = start.ToString(), end = start.AddMonths(11).ToString(), now,
                    }, t);
        });
    }

    /// <summary>The import's response, or null when the app died under it.</summary>
    private static async Task<string?> Outcome(Task<HttpResponseMessage> importing)
    {
        try
        {
            var response = await importing;
            return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static async Task<HttpResponseMessage> PostAsync(Uri address, string csv)
    {
        using var client = await TestApp.StaffAsync(address, "admin");
        return await client.PostAsync("/api/v1/admin/cross-checks", new StringContent(csv, Encoding.UTF8, "text/csv"));
    }

    private sealed record Run(string Status, long Matched);

    private Task<List<Run>> RunsAsync() => _store.QueryAsync<Run>("SELECT status, matched FROM cross_check_runs WHERE source = 'national'");
}

public sealed class CrossCheckCrashOnSqlite() : CrossCheckCrashSpec(Store.Sqlite);

public sealed class CrossCheckCrashOnPostgres() : CrossCheckCrashSpec(Store.Postgres);
