using System.Data.Common;
using Dapper;
using Tongban.Domain;
using Tongban.Domain.Claims;
using Tongban.Domain.Notifications;
using Tongban.Domain.Outreach;
using Tongban.Domain.Province;
using Tongban.Domain.Registry;
using Tongban.Domain.Verification;
using Tongban.Notifications;
using Tongban.PersonalData;
using Tongban.Storage;
using Tongban.Verification;

namespace Tongban.Outreach;

/// <summary>
/// How outreach runs, from configuration: <c>Outreach:ServiceApp</c> (the province's government-service app named in
/// the SMS; 海易办 for the demo province), <c>Outreach:IncludeSubsidy</c> (false: campaigns are for the unemployment
/// benefit only; true: the monthly timer also runs one for the unemployment subsidy, and administrators may start one),
/// <c>Outreach:ChunkSize</c> (registry persons looked at per finding step, 5,000), <c>Outreach:Monthly</c> (true: the
/// timer creates each month's campaign; false: campaigns only when an administrator starts one — the timer still
/// resumes those a crash interrupted).
/// </summary>
public sealed record OutreachOptions(string ServiceApp, bool IncludeSubsidy, int ChunkSize, bool Monthly = true)
{
    public static OutreachOptions From(IConfiguration configuration) => new(
        configuration["Outreach:ServiceApp"] is { Length: > 0 } app ? app : "海易办",
        configuration.GetValue("Outreach:IncludeSubsidy", false),
        Math.Clamp(configuration.GetValue("Outreach:ChunkSize", 5000), 1, 20_000),
        configuration.GetValue("Outreach:Monthly", true));

    /// <summary>The service items campaigns may be for here.</summary>
    public IReadOnlyList<string> ServiceItems =>
        IncludeSubsidy ? OutreachRule.ServiceItems : [Domain.Claims.ServiceItems.UnemploymentBenefit];
}

public static class CampaignStatus
{
    public const string Finding = "finding";
    public const string Sending = "sending";
    public const string Completed = "completed";
}

/// <summary>A campaign as a step left it: its status tells the orchestration what comes next.</summary>
public sealed record CampaignSnapshot(string CampaignId, string Status, long Chunks);

/// <summary>
/// A campaign with its counts: <c>found</c> people (one SMS queued each), SMS <c>sent</c> (the gateway accepted them),
/// <c>delivered</c> (a delivery report, or the local sink, said so), and <c>appliedSince</c> (applications linked to it at
/// intake). Times in China time; <c>period</c> is the month ("YYYY-MM") of a monthly campaign, null for one an
/// administrator started.
/// </summary>
public sealed record CampaignView(string Id, string? Period, string ServiceItem, string Status, string RequestedBy,
    DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt, long Found, long Sent, long Delivered, long AppliedSince);

/// <summary>
/// Outreach campaigns (主动服务; issue 12 item 4; seed 000: Gaoming found 13,000 eligible people in its data and told
/// them by SMS). A campaign walks the registry in person-key order, a chunk per step, each step one transaction:
/// <list type="number">
/// <item>SQL narrows the chunk to people with a mobile, no spell still open and no application for the item — set-based,
/// so a million insured people are never in memory. Each condition is a scalar subquery, an index lookup per person of
/// the chunk: written as NOT EXISTS, PostgreSQL planned anti-joins that scanned every spell for every chunk (1,000,000
/// people: 50–100 s instead of seconds); separation reasons are left to the rule for the same reason;</item>
/// <item>the one eligibility rule (<see cref="Eligibility.Assess"/> through <see cref="OutreachRule"/>) decides each
/// candidate, as verification would if they applied today (including the statutory retirement age);</item>
/// <item>one <c>INSERT … SELECT</c> each puts those found into <c>outreach_recipients</c> (key campaign + person) and their
/// SMS into the outbox (dedupe key <c>outreach:{campaign}:{person}</c>), and the campaign's cursor moves on.</item>
/// </list>
/// A step repeated after a crash finds the cursor already moved, or meets the unique keys: nothing is found or sent twice.
/// Then the campaign's SMS are delivered in batches (<see cref="SmsDelivery.DeliverForCampaignAsync"/>) and it completes.
/// </summary>
public sealed class OutreachCampaigns(Database database, PersonalDataProtector protector, ProvinceConfig province,
    OutreachOptions options, TimeProvider clock)
{
    /// <summary>SMS per delivery step.</summary>
    public const int SmsBatch = 1000;

    /// <summary>The day of the month (China time) from which the month's campaign is due.</summary>
    public const int CampaignDay = 5;

    /// <summary>
    /// An SQL expression for the campaign whose SMS last reached a person before <paramref name="at"/> (sent by then), for
    /// the service item; NULL when none did. Intake stores it with the application.
    /// </summary>
    public static string ReachedBySql(string personKey, string serviceItem, string at) => $"""
        (SELECT r.campaign_id FROM outreach_recipients r JOIN notifications n ON n.dedupe_key = r.notification_key
         WHERE r.person_key = {personKey} AND r.service_item = {serviceItem} AND n.sent_at IS NOT NULL AND n.sent_at <= {at}
         ORDER BY n.sent_at DESC LIMIT 1)
        """;

    /// <summary>What a campaign's orchestration instance id starts with; the campaign id follows.</summary>
    public const string InstancePrefix = "outreach-";

    public static string InstanceId(string campaignId) => InstancePrefix + campaignId;

    /// <summary>Starts the campaign's orchestration unless one is live; it continues from the campaign's state in the database.</summary>
    public static Task StartOrchestrationAsync(Microsoft.DurableTask.Client.DurableTaskClient durable, string campaignId, CancellationToken ct) =>
        Hosting.Durable.OrchestrationStarts.StartOnceAsync(durable, OutreachOrchestrator.Name, campaignId, InstanceId(campaignId), ct);

    /// <summary>The id of a month's campaign for a service item: the same on every instance, so the timer makes it once.</summary>
    public static string MonthlyId(YearMonth period, string serviceItem) => $"{period}-{serviceItem}";

    /// <summary>
    /// An administrator's campaign: a new one, or — while a campaign for the item is still finding or sending — that one
    /// (<c>Created</c> false), so a second click sends nothing more.
    /// </summary>
    public Task<(CampaignView Campaign, bool Created)> StartAsync(string serviceItem, string actor, CancellationToken ct) =>
        database.InTransactionAsync(async (c, t) =>
        {
            await LockAsync(c, t);
            var running = await c.QueryFirstOrDefaultAsync<string>(
                "SELECT id FROM outreach_campaigns WHERE service_item = @serviceItem AND status <> 'completed' ORDER BY created_at LIMIT 1",
                new { serviceItem }, t);
            if (running is not null) return ((await ViewsAsync(c, t, running)).Single(), false);
            var id = Guid.NewGuid().ToString();
            await InsertAsync(c, t, id, null, serviceItem, actor);
            return ((await ViewsAsync(c, t, id)).Single(), true);
        }, ct);

    /// <summary>
    /// The timer's campaigns: the due month's (<see cref="OutreachRule.CampaignMonth"/>) for each service item, created
    /// once (its id comes from the month); returns every campaign not yet completed, for the caller to drive.
    /// </summary>
    public Task<IReadOnlyList<string>> RequestMonthlyAsync(CancellationToken ct) =>
        database.InTransactionAsync<IReadOnlyList<string>>(async (c, t) =>
        {
            await LockAsync(c, t);
            var period = OutreachRule.CampaignMonth(Deadlines.LocalDate(clock.GetUtcNow()), CampaignDay);
            foreach (var item in options.Monthly ? options.ServiceItems : [])
            {
                var id = MonthlyId(period, item);
                if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outreach_campaigns WHERE id = @id", new { id }, t) == 0)
                    await InsertAsync(c, t, id, period.ToString(), item, ClaimWorkflow.SystemActor);
            }
            return (await c.QueryAsync<string>("SELECT id FROM outreach_campaigns WHERE status <> 'completed' ORDER BY created_at", transaction: t)).ToList();
        }, ct);

    /// <summary>
    /// One finding step: the next <see cref="OutreachOptions.ChunkSize"/> persons after the cursor, those the rule finds
    /// recorded and their SMS queued, the cursor moved past the chunk — or, with none left, the campaign on to sending.
    /// A campaign past finding is returned as it is.
    /// </summary>
    public Task<CampaignSnapshot> FindChunkAsync(string campaignId, CancellationToken ct) =>
        database.InTransactionAsync(async (c, t) =>
        {
            var campaign = await LockCampaignAsync(c, t, campaignId);
            if (campaign.Status != CampaignStatus.Finding) return Snapshot(campaign);
            var now = clock.GetUtcNow();
            var cursor = campaign.Cursor ?? "";
            var last = await c.ExecuteScalarAsync<string?>(
                "SELECT MAX(person_key) FROM (SELECT person_key FROM persons WHERE person_key > @cursor ORDER BY person_key LIMIT @chunk) k",
                new { cursor, chunk = options.ChunkSize }, t);
            if (last is null)
            {
                await c.ExecuteAsync("UPDATE outreach_campaigns SET status = 'sending' WHERE id = @campaignId", new { campaignId }, t);
                return Snapshot(campaign) with { Status = CampaignStatus.Sending };
            }
            var candidates = await c.QueryAsync<CandidateRow>(
                """
                SELECT p.person_key, p.id_number_enc, p.name_enc, s.employer_code, s.city_code, s.start_month, s.end_month, s.separation_reason
                FROM persons p JOIN contribution_spells s ON s.person_key = p.person_key
                WHERE p.person_key > @cursor AND p.person_key <= @last AND p.mobile_enc IS NOT NULL
                  AND (SELECT COUNT(*) FROM contribution_spells o WHERE o.person_key = p.person_key AND o.end_month IS NULL) = 0
                  AND (SELECT COUNT(*) FROM applications a WHERE a.person_key = p.person_key AND a.service_item = @serviceItem) = 0
                  AND NOT EXISTS (SELECT 1 FROM death_reports d WHERE d.person_key = p.person_key)
                ORDER BY p.person_key
                """, new { cursor, last, serviceItem = campaign.ServiceItem }, t);
            var month = YearMonth.Of(Deadlines.LocalDate(now));
            var found = candidates.GroupBy(r => r.PersonKey)
                .Where(person => Qualifies(campaign.ServiceItem, person.ToList(), month))
                .Select(person => person.Key).ToList();
            if (found.Count > 0)
            {
                var sms = OutreachMessage.For(campaign.ServiceItem, options.ServiceApp);
                await c.ExecuteAsync(
                    $"""
                    INSERT INTO outreach_recipients (campaign_id, person_key, service_item, notification_key, found_at)
                    SELECT @campaignId, person_key, @serviceItem, 'outreach:' || @campaignId || ':' || person_key, @at
                    FROM persons WHERE {database.In("person_key", "found")}
                    ON CONFLICT (campaign_id, person_key) DO NOTHING;
                    INSERT INTO notifications (application_id, campaign_id, dedupe_key, template, to_enc, body, parts, status, created_at)
                    SELECT NULL, @campaignId, 'outreach:' || @campaignId || ':' || person_key, @template, mobile_enc, @body, @parts, 'queued', @at
                    FROM persons WHERE {database.In("person_key", "found")}
                    ON CONFLICT (dedupe_key) DO NOTHING;
                    """,
                    new { campaignId, serviceItem = campaign.ServiceItem, found, at = now.ToUnixTimeMilliseconds(),
                          template = sms.Template, body = sms.Body, parts = sms.Parts }, t);
            }
            await c.ExecuteAsync("UPDATE outreach_campaigns SET cursor = @last, chunks = chunks + 1 WHERE id = @campaignId",
                new { campaignId, last }, t);
            return Snapshot(campaign) with { Chunks = campaign.Chunks + 1 };
        }, ct);

    /// <summary>Marks a campaign whose SMS have gone out completed (once; a completed one is returned as it is).</summary>
    public Task<CampaignSnapshot> CompleteAsync(string campaignId, CancellationToken ct) =>
        database.InTransactionAsync(async (c, t) =>
        {
            var campaign = await LockCampaignAsync(c, t, campaignId);
            if (campaign.Status != CampaignStatus.Sending) return Snapshot(campaign);
            await c.ExecuteAsync("UPDATE outreach_campaigns SET status = 'completed', completed_at = @at WHERE id = @campaignId",
                new { campaignId, at = clock.GetUtcNow().ToUnixTimeMilliseconds() }, t);
            return Snapshot(campaign) with { Status = CampaignStatus.Completed };
        }, ct);

    /// <summary>The latest 100 campaigns, newest first, with their counts; or the one with <paramref name="id"/>.</summary>
    public static async Task<IReadOnlyList<CampaignView>> ViewsAsync(DbConnection c, DbTransaction? t, string? id = null) =>
        (await c.QueryAsync<CampaignRow>(
            $"""
            SELECT c.id, c.period, c.service_item, c.status, c.requested_by, c.created_at, c.completed_at,
                   (SELECT COUNT(*) FROM outreach_recipients r WHERE r.campaign_id = c.id) AS found,
                   (SELECT COUNT(*) FROM notifications n WHERE n.campaign_id = c.id AND n.status = 'sent') AS sent,
                   (SELECT COUNT(*) FROM notifications n WHERE n.campaign_id = c.id AND n.delivery_status = 'delivered') AS delivered,
                   (SELECT COUNT(*) FROM applications a WHERE a.outreach_campaign_id = c.id) AS applied_since
            FROM outreach_campaigns c {(id is null ? "" : "WHERE c.id = @id")}
            ORDER BY c.created_at DESC, c.id LIMIT 100
            """, new { id }, t))
        .Select(r => new CampaignView(r.Id, r.Period, r.ServiceItem, r.Status, r.RequestedBy,
            Applications.ApplicationViews.Time(r.CreatedAt), r.CompletedAt is { } done ? Applications.ApplicationViews.Time(done) : null,
            r.Found, r.Sent, r.Delivered, r.AppliedSince)).ToList();

    /// <summary>The rule on one person's registry rows, under the name the registry holds (the name check then passes).</summary>
    private bool Qualifies(string serviceItem, List<CandidateRow> rows, YearMonth month)
    {
        var name = protector.Decrypt(rows[0].NameEnc);
        var person = new InsuredPerson(name, rows.Select(s => new ContributionSpell(s.EmployerCode, s.CityCode,
            YearMonth.Parse(s.StartMonth), s.EndMonth is null ? null : YearMonth.Parse(s.EndMonth),
            s.SeparationReason is not null && SeparationReasons.TryParse(s.SeparationReason, out var r) ? r : null)).ToList());
        var facts = new ClaimFacts(name, person, month, Prior: null, HasOtherOpenClaim: false,
            ClaimFactsLoader.Retirement(protector.Decrypt(rows[0].IdNumberEnc), province));
        return OutreachRule.Qualifies(serviceItem, Eligibility.Assess(facts, province));
    }

    private async Task InsertAsync(DbConnection c, DbTransaction t, string id, string? period, string serviceItem, string actor) =>
        await c.ExecuteAsync(
            """
            INSERT INTO outreach_campaigns (id, period, service_item, status, cursor, chunks, requested_by, created_at)
            VALUES (@id, @period, @serviceItem, 'finding', NULL, 0, @actor, @at)
            """, new { id, period, serviceItem, actor, at = clock.GetUtcNow().ToUnixTimeMilliseconds() }, t);

    // Creating campaigns is serialised (PostgreSQL; SQLite has one writer): two clicks or two timers make one.
    private const long NewCampaignLockKey = 0x4F55545245414348;

    private Task LockAsync(DbConnection c, DbTransaction t) => database.TakeTurnAsync(c, t, NewCampaignLockKey);

    private async Task<CampaignRow> LockCampaignAsync(DbConnection c, DbTransaction t, string id) =>
        await c.QuerySingleOrDefaultAsync<CampaignRow>(
            "SELECT id, period, service_item, status, cursor, chunks FROM outreach_campaigns WHERE id = @id"
            + (database.Provider == DatabaseProvider.Postgres ? " FOR UPDATE" : ""), new { id }, t)
        ?? throw new InvalidOperationException($"Outreach campaign {id} does not exist.");

    private static CampaignSnapshot Snapshot(CampaignRow row) => new(row.Id, row.Status, row.Chunks);

    private sealed class CampaignRow
    {
        public string Id { get; init; } = "";
        public string? Period { get; init; }
        public string ServiceItem { get; init; } = "";
        public string Status { get; init; } = "";
        public string? Cursor { get; init; }
        public long Chunks { get; init; }
        public string RequestedBy { get; init; } = "";
        public long CreatedAt { get; init; }
        public long? CompletedAt { get; init; }
        public long Found { get; init; }
        public long Sent { get; init; }
        public long Delivered { get; init; }
        public long AppliedSince { get; init; }
    }

    private sealed class CandidateRow
    {
        public string PersonKey { get; init; } = "";
        public string IdNumberEnc { get; init; } = "";
        public string NameEnc { get; init; } = "";
        public string EmployerCode { get; init; } = "";
        public string CityCode { get; init; } = "";
        public string StartMonth { get; init; } = "";
        public string? EndMonth { get; init; }
        public string? SeparationReason { get; init; }
    }
}
