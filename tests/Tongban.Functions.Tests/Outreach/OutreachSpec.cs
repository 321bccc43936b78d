using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.DurableTask.Client;
using Tongban.Notifications;
using Tongban.Outreach;
using Tongban.Storage;
using Tongban.Tests.Infrastructure;
using Tongban.Tests.Payouts;

namespace Tongban.Tests.Outreach;

/// <summary>
/// Outreach campaigns (主动服务, issue 12 item 4) on SQLite and PostgreSQL, over a registry of eight people on
/// Tuesday 10 November 2026: three eligible for the benefit who have not applied, and five who must not be told — one
/// who already applied, one who resigned, one still contributing, one past the statutory retirement age, one with
/// eight months of contributions.
/// </summary>
public abstract class OutreachSpec(Store store) : IAsyncLifetime
{
    private PayoutDriver _d = null!;
    private static readonly Person Lin = new(701, "林一", "460100", "460100"), Chen = new(702, "陈二", "460200", "460200"),
        Fu = new(703, "符三", "460100", "460100"), Applied = new(704, "吴四", "460100", "460100"), Resigned = new(705, "王五", "460100", "460100"),
        Working = new(706, "赵六", "460100", "460100"), Short = new(708, "钱八", "460100", "460100");
    private static readonly string RetiredId = People.IdNumber(707, "460100", "19600315");

    public async ValueTask InitializeAsync()
    {
        _d = await PayoutDriver.StartAsync(store, new DateTimeOffset(2026, 11, 10, 9, 0, 0, PayoutDriver.China), "--Outreach:Monthly=true");
        // The timer's start-up run makes the month's campaign over the empty registry; the people come after it.
        await MonthlyCampaignAsync();
        await _d.ImportAsync(Lin.Spell(), Chen.Spell(), Fu.Spell(), Applied.Spell(), Resigned.Spell(reason: "resigned"),
            Working.Spell(end: "", reason: ""), Short.Spell(start: "2026-01"),
            People.Spell(RetiredId, "郑七", "460100", 707, "2010-01", "2026-08", "contract-expired", mobile: "13900000707"));
        var response = await _d.App.Portal.SubmitAsync(People.Application(Applied.IdNumber, Applied.Name));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    public async ValueTask DisposeAsync() => await _d.DisposeAsync();

    private Database Database => _d.App.Services.GetRequiredService<Database>();

    private async Task<JsonElement> MonthlyCampaignAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var monthly = (await _d.Admin.GetJsonAsync("/api/v1/admin/outreach-campaigns")).EnumerateArray()
                .Where(c => c.GetProperty("id").GetString() == "2026-11-unemployment-benefit").ToList();
            if (monthly is [var campaign] && campaign.GetProperty("status").GetString() == "completed") return campaign;
            if (DateTime.UtcNow > deadline) Assert.Fail("The month's campaign did not complete in 60 s.");
            await Task.Delay(100);
        }
    }

    /// <summary>Waits until no campaign is finding or sending (the start-up timer's campaign among them).</summary>
    private async Task<List<JsonElement>> SettledCampaignsAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var campaigns = (await _d.Admin.GetJsonAsync("/api/v1/admin/outreach-campaigns")).EnumerateArray().ToList();
            if (campaigns.All(c => c.GetProperty("status").GetString() == "completed")) return campaigns;
            if (DateTime.UtcNow > deadline) Assert.Fail("Outreach campaigns did not complete in 60 s.");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task An_empty_body_starts_the_benefit_campaign_and_the_answer_says_so()
    {
        await SettledCampaignsAsync();
        var response = await _d.Admin.PostAsync("/api/v1/admin/outreach-campaigns",
            new StringContent("{}", System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var started = await response.JsonAsync();
        Assert.Equal("unemployment-benefit", started.GetProperty("serviceItem").GetString());
        Assert.Equal(JsonValueKind.Null, started.GetProperty("period").ValueKind);
        Assert.Equal("admin", started.GetProperty("requestedBy").GetString());
        Assert.Equal($"/api/v1/admin/outreach-campaigns/{started.GetProperty("id").GetString()}", response.Headers.Location?.OriginalString);
    }

    private async Task<JsonElement> RunCampaignAsync()
    {
        await SettledCampaignsAsync();
        var response = await _d.Admin.PostJsonAsync("/api/v1/admin/outreach-campaigns", new { serviceItem = "unemployment-benefit" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.JsonAsync()).GetProperty("id").GetString()!;
        Assert.Equal($"/api/v1/admin/outreach-campaigns/{id}", response.Headers.Location?.OriginalString);
        return (await SettledCampaignsAsync()).Single(c => c.GetProperty("id").GetString() == id);
    }

    private async Task<List<string>> RecipientKeysAsync(string campaignId)
    {
        await using var c = await Database.OpenAsync(TestContext.Current.CancellationToken);
        return (await c.QueryAsync<string>("SELECT person_key FROM outreach_recipients WHERE campaign_id = @campaignId ORDER BY person_key",
            new { campaignId })).ToList();
    }

    private string PersonKey(string idNumber) => TestApp.Protector().PersonKey(idNumber);

    private int OutboxLines(string campaignId) =>
        File.ReadAllLines(Path.Combine(_d.App.Store.Folder, "sms-outbox.jsonl")).Count(l => l.Contains($"outreach:{campaignId}:", StringComparison.Ordinal));

    [Fact]
    public async Task A_campaign_finds_exactly_the_eligible_people_who_have_not_applied_and_sends_each_one_sms_without_identifiers_or_links()
    {
        var campaign = await RunCampaignAsync();
        var id = campaign.GetProperty("id").GetString()!;

        Assert.Equal(3, campaign.GetProperty("found").GetInt64());
        Assert.Equal(3, campaign.GetProperty("sent").GetInt64());
        Assert.Equal(3, campaign.GetProperty("delivered").GetInt64());
        Assert.Equal(0, campaign.GetProperty("appliedSince").GetInt64());
        Assert.Equal("unemployment-benefit", campaign.GetProperty("serviceItem").GetString());
        Assert.Equal(JsonValueKind.Null, campaign.GetProperty("period").ValueKind);
        Assert.Equal([.. new[] { Lin, Chen, Fu }.Select(p => PersonKey(p.IdNumber)).Order(StringComparer.Ordinal)], await RecipientKeysAsync(id));

        var sms = (await _d.Admin.GetJsonAsync("/api/v1/admin/notifications")).EnumerateArray()
            .Where(n => n.GetProperty("campaignId").GetString() == id).ToList();
        Assert.Equal(3, sms.Count);
        Assert.All(sms, n =>
        {
            Assert.Equal("outreach", n.GetProperty("template").GetString());
            Assert.Equal("delivered", n.GetProperty("deliveryStatus").GetString());
            Assert.Matches(@"^139\*\*\*\*\d{4}$", n.GetProperty("to").GetString());
            var body = n.GetProperty("body").GetString()!;
            Assert.DoesNotMatch(@"\d{6,}|https?://|www\.", body);
            Assert.DoesNotContain(Lin.Name, body);
            Assert.True(n.GetProperty("parts").GetInt32() <= 2);
        });
        Assert.Equal(3, OutboxLines(id));
    }

    [Fact]
    public async Task A_person_whose_death_was_reported_is_not_told_to_apply()
    {
        // The family reported Fu's death on a claim of another service item (the row of the one claim there is, keyed to Fu).
        var protector = TestApp.Protector();
        await using (var c = await Database.OpenAsync(TestContext.Current.CancellationToken))
            await c.ExecuteAsync(
                """
                INSERT INTO death_reports (application_id, person_key, died_on, dependants, reporter_name_enc, reporter_relationship,
                                           reporter_mobile_enc, reported_by, reported_at)
                SELECT id, @personKey, '2026-11-02', 0, @name, 'child', @mobile, '460100-01-r1', 0 FROM applications
                """, new { personKey = PersonKey(Fu.IdNumber), name = protector.Encrypt("符丽"), mobile = protector.Encrypt("13912345678") });

        var campaign = await RunCampaignAsync();

        Assert.Equal([.. new[] { Lin, Chen }.Select(p => PersonKey(p.IdNumber)).Order(StringComparer.Ordinal)],
            await RecipientKeysAsync(campaign.GetProperty("id").GetString()!));
    }

    [Fact]
    public async Task A_step_replayed_after_a_crash_and_a_second_campaign_send_nothing_twice_within_a_campaign()
    {
        var first = (await RunCampaignAsync()).GetProperty("id").GetString()!;
        var ct = TestContext.Current.CancellationToken;

        // As if the finding step's commit had been lost to Durable: the campaign walks the registry again from the start.
        await Database.InTransactionAsync((c, t) => c.ExecuteAsync(
            "UPDATE outreach_campaigns SET status = 'finding', cursor = NULL WHERE id = @first", new { first }, t), ct);
        var campaigns = _d.App.Services.GetRequiredService<OutreachCampaigns>();
        while ((await campaigns.FindChunkAsync(first, ct)).Status == CampaignStatus.Finding) { }
        Assert.Null(await _d.App.Services.GetRequiredService<SmsDelivery>().DeliverForCampaignAsync(first, 0, 1000, ct));
        await campaigns.CompleteAsync(first, ct);

        var again = await _d.Admin.GetJsonAsync($"/api/v1/admin/outreach-campaigns/{first}");
        Assert.Equal(3, again.GetProperty("found").GetInt64());
        Assert.Equal(3, again.GetProperty("sent").GetInt64());
        Assert.Equal(3, OutboxLines(first));

        // A new campaign is a new campaign: one SMS per person per campaign.
        var second = (await RunCampaignAsync()).GetProperty("id").GetString()!;
        Assert.NotEqual(first, second);
        Assert.Equal(3, OutboxLines(second));
        Assert.Equal(3, OutboxLines(first));
        await using var connection = await Database.OpenAsync(ct);
        Assert.Equal(6, await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM notifications WHERE campaign_id IN (@first, @second)", new { first, second }));
    }

    [Fact]
    public async Task A_person_who_applies_after_the_sms_is_linked_to_the_campaign_and_counted_as_applied_since()
    {
        var id = (await RunCampaignAsync()).GetProperty("id").GetString()!;
        await _d.TodayAsync(2026, 11, 11);

        var response = await _d.App.Portal.SubmitAsync(People.Application(Fu.IdNumber, Fu.Name));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var application = (await response.JsonAsync()).GetProperty("applicationId").GetString()!;

        Assert.Equal(id, (await _d.App.Portal.GetJsonAsync($"/api/v1/applications/{application}")).GetProperty("outreachCampaignId").GetString());
        Assert.Equal(1, (await _d.Admin.GetJsonAsync($"/api/v1/admin/outreach-campaigns/{id}")).GetProperty("appliedSince").GetInt64());
        // Who applied before any campaign reached them is linked to none.
        await using var c = await Database.OpenAsync(TestContext.Current.CancellationToken);
        Assert.Null(await c.ExecuteScalarAsync<string?>("SELECT outreach_campaign_id FROM applications WHERE person_key = @key",
            new { key = PersonKey(Applied.IdNumber) }));
    }

    [Fact]
    public async Task The_month_has_one_campaign_from_the_timer_whatever_the_instances_and_bad_requests_are_problems_naming_the_field()
    {
        var campaigns = await SettledCampaignsAsync();
        var monthly = Assert.Single(campaigns, c => c.GetProperty("id").GetString() == "2026-11-unemployment-benefit");
        Assert.Equal("2026-11", monthly.GetProperty("period").GetString());
        Assert.Equal(0, monthly.GetProperty("found").GetInt64());
        // The timer again (another instance, the next day): the month's campaign exists, none is made.
        Assert.Empty(await _d.App.Services.GetRequiredService<OutreachCampaigns>().RequestMonthlyAsync(TestContext.Current.CancellationToken));
        Assert.Equal(campaigns.Count, (await _d.Admin.GetJsonAsync("/api/v1/admin/outreach-campaigns")).GetArrayLength());

        var subsidy = await _d.Admin.PostJsonAsync("/api/v1/admin/outreach-campaigns", new { serviceItem = "unemployment-subsidy" });
        Assert.Equal(HttpStatusCode.BadRequest, subsidy.StatusCode);
        Assert.True((await subsidy.JsonAsync()).GetProperty("errors").TryGetProperty("serviceItem", out _));
        var wrongType = await _d.Admin.PostJsonAsync("/api/v1/admin/outreach-campaigns", new { serviceItem = 7 });
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        // The record is bound through its constructor: the message still says what the field must be.
        Assert.Equal("Must be a string.", (await wrongType.JsonAsync()).GetProperty("errors").GetProperty("serviceItem")[0].GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await _d.Admin.GetAsync("/api/v1/admin/outreach-campaigns/nope")).StatusCode);
        using var reviewer = await _d.App.StaffAsync("460100-01-r1");
        Assert.Equal(HttpStatusCode.Forbidden, (await reviewer.GetAsync("/api/v1/admin/outreach-campaigns")).StatusCode);
    }
}

public sealed class OutreachOnSqlite() : OutreachSpec(Store.Sqlite);

public sealed class OutreachOnPostgres() : OutreachSpec(Store.Postgres);

/// <summary>A province that runs outreach only when an administrator starts it (<c>Outreach:Monthly=false</c>).</summary>
public sealed class OutreachOnDemandOnly
{
    [Fact]
    public async Task The_timer_makes_no_campaign_but_an_administrator_can_start_one_which_over_an_empty_registry_completes_finding_nobody()
    {
        await using var app = await TestApp.StartAsync(Store.Sqlite, "--Outreach:Monthly=false");
        var campaigns = app.Services.GetRequiredService<OutreachCampaigns>();
        Assert.Empty(await campaigns.RequestMonthlyAsync(TestContext.Current.CancellationToken));
        using var admin = await app.StaffAsync("admin");
        Assert.Equal(0, (await admin.GetJsonAsync("/api/v1/admin/outreach-campaigns")).GetArrayLength());

        var started = await admin.PostJsonAsync("/api/v1/admin/outreach-campaigns", new { serviceItem = "unemployment-benefit" });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var id = (await started.JsonAsync()).GetProperty("id").GetString();
        // Over an empty registry the campaign finds nobody, sends nothing and completes.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonElement listed;
        while ((listed = Assert.Single((await admin.GetJsonAsync("/api/v1/admin/outreach-campaigns")).EnumerateArray()))
               .GetProperty("status").GetString() != "completed")
        {
            Assert.True(DateTime.UtcNow < deadline, "The campaign did not complete in 60 s.");
            await Task.Delay(100);
        }
        Assert.Equal(id, listed.GetProperty("id").GetString());
        Assert.Equal((0, 0), (listed.GetProperty("found").GetInt64(), listed.GetProperty("sent").GetInt64()));

        // An administrator may start its orchestration again (the workflows page); it continues from the database and,
        // the campaign being completed, ends at once. Instance ids of no campaign or match are not found.
        var restarted = await admin.PostAsync($"/api/v1/admin/workflows/outreach-{id}/restart", null);
        Assert.Equal(HttpStatusCode.Accepted, restarted.StatusCode);
        Assert.Equal($"outreach-{id}", (await restarted.JsonAsync()).GetProperty("instanceId").GetString());
        var instance = await app.Services.GetRequiredService<DurableTaskClient>()
            .WaitForInstanceCompletionAsync($"outreach-{id}", TestContext.Current.CancellationToken);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"/api/v1/admin/workflows/outreach-{Guid.NewGuid()}/restart", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await admin.PostAsync($"/api/v1/admin/workflows/cross-check-match-{Guid.NewGuid()}/restart", null)).StatusCode);
    }
}
