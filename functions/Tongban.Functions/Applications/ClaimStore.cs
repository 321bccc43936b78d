using System.Globalization;
using System.Data.Common;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using Tongban.Domain;
using Tongban.Domain.Claims;
using Tongban.Domain.Entitlements;
using Tongban.Domain.Province;
using Tongban.Domain.Verification;
using Tongban.Storage;

namespace Tongban.Applications;

/// <summary>
/// Loads a claim's state and commits a transition: the new state (optimistic concurrency on the
/// version), its history events and its SMS (an outbox: <see cref="Notifications.SmsDelivery"/> sends them) — all in
/// the caller's transaction.
/// </summary>
public sealed class ClaimStore(Database database, ProvinceConfig province)
{
    private const string ClaimColumns = """
        id, case_number, service_item, channel, status, accepting_office, insuring_city, assigned_office,
        first_reviewer, entitlement_months, monthly_fen, start_month, end_month, stopped_on, version, received_at
        """;

    /// <summary>
    /// The claim and when it was received, or null when there is no such application. <paramref name="forUpdate"/>
    /// (PostgreSQL) locks the row until the transaction ends, so two deciders of one claim take turns.
    /// </summary>
    public static async Task<(Claim Claim, DateTimeOffset ReceivedAt)?> LoadAsync(DbConnection connection, DbTransaction? transaction, string id,
        bool forUpdate = false)
    {
        var row = await connection.QuerySingleOrDefaultAsync<ClaimRow>(
            $"SELECT {ClaimColumns} FROM applications WHERE id = @id{(forUpdate ? " FOR UPDATE" : "")}", new { id }, transaction);
        return row is null ? null : (row.ToClaim(), DateTimeOffset.FromUnixTimeMilliseconds(row.ReceivedAt));
    }

    /// <summary>
    /// The claims of <paramref name="ids"/> that exist, with when each was received, in one statement; on PostgreSQL
    /// locked until the transaction ends (in id order, so two batches never wait on each other in a circle).
    /// </summary>
    public async Task<IReadOnlyList<(Claim Claim, DateTimeOffset ReceivedAt)>> LoadManyAsync(DbConnection connection, DbTransaction transaction,
        IReadOnlyCollection<string> ids)
    {
        var rows = await connection.QueryAsync<ClaimRow>(
            $"SELECT {ClaimColumns} FROM applications WHERE {database.In("id", "ids")} ORDER BY id" +
            (database.Provider == DatabaseProvider.Postgres ? " FOR UPDATE" : ""), new { ids = ids.ToArray() }, transaction);
        return rows.Select(r => (r.ToClaim(), DateTimeOffset.FromUnixTimeMilliseconds(r.ReceivedAt))).ToList();
    }

    /// <summary>
    /// Commits a transition of an existing claim; throws <see cref="ConcurrentChangeException"/> if someone else moved it
    /// first. With <paramref name="verified"/> the same UPDATE stores verification's findings and the contribution months
    /// it counted (one row version, not two: every version of an application row costs all its indexes).
    /// </summary>
    public Task ApplyAsync(DbConnection connection, DbTransaction transaction, Transition transition,
        int expectedVersion, DateTimeOffset receivedAt, DateTimeOffset now, VerificationResult? verified = null) =>
        ApplyManyAsync(connection, transaction, [new ClaimChange(transition, expectedVersion, receivedAt, verified)], now);

    /// <summary>
    /// Commits the transitions of many claims in three statements whatever their number: one UPDATE of every claim's
    /// state, one INSERT of every history event, one of every SMS (their rows handed over as JSON, <see cref="JsonRows"/>). A claim may appear more than once, its transitions in
    /// order (each expecting the version the one before made): its row is written once, with the last state. Throws
    /// <see cref="ConcurrentChangeException"/> if someone else moved any of them first; the caller's transaction then
    /// rolls back all of them.
    /// </summary>
    public async Task ApplyManyAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<ClaimChange> changes, DateTimeOffset now)
    {
        if (changes.Count == 0) return;
        var rows = new List<(ClaimChange Last, int ExpectedVersion)>();
        var index = new Dictionary<Guid, int>();
        foreach (var change in changes)
        {
            var id = change.Transition.Claim.Id;
            if (!index.TryGetValue(id, out var i)) { index[id] = rows.Count; rows.Add((change, change.ExpectedVersion)); continue; }
            if (rows[i].Last.Transition.Claim.Version != change.ExpectedVersion)
                throw new InvalidOperationException($"Transitions of claim {id} do not follow one another.");
            rows[i] = (change with { Verified = change.Verified ?? rows[i].Last.Verified }, rows[i].ExpectedVersion);
        }

        var state = rows.Select(r =>
        {
            var (change, expected) = r;
            var c = change.Transition.Claim;
            var verified = change.Verified;
            return new StateRow(c.Id.ToString(), expected, c.Status.Code(), c.Status.IsOpen() ? 1 : 0, c.InsuringCity, c.AssignedOffice,
                c.FirstReviewer, c.Entitlement?.Months, c.Entitlement?.MonthlyFen, c.Entitlement?.StartMonth.ToString(),
                c.Entitlement?.EndMonth.ToString(), c.StoppedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Deadlines.DueAt(c.Status, change.ReceivedAt, province)?.ToUnixTimeMilliseconds(), c.Version, verified is not null,
                verified is null ? null : JsonSerializer.Serialize(verified.Findings), verified?.ContributionMonths, verified?.CarriedOverMonths);
        });
        // The id list pins the rows to the primary key, whatever a cached generic plan guesses of the JSON's row count
        // and the table's size (PostgreSQL with automatic preparation).
        var updated = await connection.ExecuteAsync(
            $"""
            UPDATE applications SET status = v.status, is_open = v.is_open, insuring_city = v.insuring_city,
                assigned_office = v.assigned_office, first_reviewer = v.first_reviewer,
                entitlement_months = v.months, monthly_fen = v.monthly_fen, start_month = v.start_month, end_month = v.end_month,
                stopped_on = v.stopped_on, due_at = v.due_at, version = v.version, updated_at = @now,
                findings_json = CASE WHEN v.verified THEN v.findings ELSE applications.findings_json END,
                contribution_months = CASE WHEN v.verified THEN v.contribution_months ELSE applications.contribution_months END,
                carried_over_months = CASE WHEN v.verified THEN v.carried_over ELSE applications.carried_over_months END
            FROM {JsonRows.Table(connection.Provider(), "rows", "v", ("id", "text"), ("expected", "bigint"), ("status", "text"),
                ("is_open", "bigint"), ("insuring_city", "text"), ("assigned_office", "text"), ("first_reviewer", "text"), ("months", "bigint"),
                ("monthly_fen", "bigint"), ("start_month", "text"), ("end_month", "text"), ("stopped_on", "text"), ("due_at", "bigint"),
                ("version", "bigint"), ("verified", "boolean"), ("findings", "text"), ("contribution_months", "bigint"), ("carried_over", "bigint"))}
            WHERE applications.id = v.id AND applications.version = v.expected AND {database.In("applications.id", "ids")}
            """, new { rows = JsonRows.Of(state), ids = rows.Select(r => r.Last.Transition.Claim.Id.ToString()).ToArray(), now = now.ToUnixTimeMilliseconds() },
            transaction);
        if (updated != rows.Count) throw new ConcurrentChangeException();
        await AppendAsync(connection, transaction, changes.Select(c => c.Transition).ToList(), now);
    }

    /// <summary>
    /// The claim as its orchestration sees it (<see cref="ClaimSnapshot"/>), with whether its first payment is in a bank
    /// file; throws when there is no such application.
    /// </summary>
    public async Task<ClaimSnapshot> SnapshotAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await SnapshotAsync(connection, null, id);
    }

    public async Task<ClaimSnapshot> SnapshotAsync(DbConnection connection, DbTransaction? transaction, string id)
    {
        var row = await connection.QuerySingleOrDefaultAsync<(string Status, long ReceivedAt, long? FirstIssuedAt)?>(
            "SELECT status, received_at, first_issued_at FROM applications WHERE id = @id", new { id }, transaction)
            ?? throw new InvalidOperationException($"Application {id} does not exist.");
        return Snapshot(ClaimStatuses.Parse(row.Status), DateTimeOffset.FromUnixTimeMilliseconds(row.ReceivedAt))
            with { FirstPaymentIssued = row.FirstIssuedAt is not null };
    }

    /// <summary>
    /// The snapshot of a claim in <paramref name="status"/> received at <paramref name="receivedAt"/>: its review deadlines
    /// on the province calendar (its payments are not read: <see cref="ClaimSnapshot.FirstPaymentIssued"/> is false).
    /// </summary>
    public ClaimSnapshot Snapshot(ClaimStatus status, DateTimeOffset receivedAt) =>
        new(status.Code(), Deadlines.RemindAt(status, receivedAt, province), Deadlines.DueAt(status, receivedAt, province));

    /// <summary>
    /// Appends the transitions' history events and SMS, as one batch of statements (one round trip).
    /// </summary>
    public static Task AppendAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<Transition> transitions, DateTimeOffset now)
    {
        var sql = new StringBuilder();
        var args = new DynamicParameters();
        AppendTo(sql, args, connection.Provider(), transitions, now);
        return sql.Length == 0 ? Task.CompletedTask : connection.ExecuteAsync(sql.ToString(), args, transaction);
    }

    /// <summary>
    /// Adds the append statements to a caller's batch: one INSERT for every history event of every transition (numbered
    /// on from each claim's last), one for every SMS. Its parameters are <c>events</c>, <c>sms</c>, <c>smsApplications</c> and <c>at</c>.
    /// </summary>
    public static void AppendTo(StringBuilder sql, DynamicParameters args, DatabaseProvider provider, IReadOnlyList<Transition> transitions,
        DateTimeOffset now)
    {
        args.Add("at", now.ToUnixTimeMilliseconds());
        var events = transitions.SelectMany(t => t.Events.Select(e => (t.Claim.Id, Event: e)))
            .GroupBy(e => e.Id)
            .SelectMany(claim => claim.Select((e, n) => new EventRow(e.Id.ToString(), n + 1, e.Event.Type, e.Event.Actor, e.Event.Office,
                e.Event.Opinion, e.Event.Data is null ? null : JsonSerializer.Serialize(e.Event.Data))))
            .ToList();
        if (events.Count > 0)
        {
            // Numbered on from each claim's last event (n counts the claim's events in this batch from 1).
            sql.Append($"""
                INSERT INTO application_events (application_id, seq, at, type, actor, office, opinion, data_json)
                SELECT e.application_id,
                       COALESCE((SELECT MAX(x.seq) FROM application_events x WHERE x.application_id = e.application_id), 0) + e.n,
                       @at, e.type, e.actor, e.office, e.opinion, e.data_json
                FROM {JsonRows.Table(provider, "events", "e", ("application_id", "text"), ("n", "bigint"), ("type", "text"), ("actor", "text"),
                    ("office", "text"), ("opinion", "text"), ("data_json", "text"))};

                """);
            args.Add("events", JsonRows.Of(events));
        }
        var sms = transitions.SelectMany(t => t.Sms.Select(m =>
            new Notifications.SmsRecipients.Queued(t.Claim.Id.ToString(), SmsKey(t.Claim, m), m))).ToList();
        if (sms.Count > 0)
        {
            sql.Append(Notifications.SmsRecipients.InsertSql(provider, "sms", "smsApplications", "at"));
            args.Add("sms", Notifications.SmsRecipients.Numbered(sms));
            args.Add("smsApplications", sms.Select(m => m.ApplicationId).Distinct().ToArray());
        }
    }

    /// <summary>
    /// Adds a new claim's history events and SMS to intake's batch as plain VALUES: the events numbered from 1, each
    /// message to the mobile the applicant gave unless the person has been reported dead. It is what <see cref="AppendTo"/>
    /// does for any claim, without its join to the claim's row, so PostgreSQL plans these statements once, not at every
    /// call; the claim's id is new, so its messages' once-only keys cannot be taken and need no ON CONFLICT. Uses the
    /// batch's parameters <c>id</c> (the application), <c>mobile</c> (encrypted), <c>personKey</c> and
    /// <c>at</c>. Throws <see cref="ArgumentException"/> for a transition of an existing claim or a message to the family.
    /// </summary>
    public static void AppendSubmittedTo(StringBuilder sql, DynamicParameters args, Transition submitted)
    {
        if (submitted.Claim.Version != 1 || submitted.Sms.Any(m => m.ToFamily))
            throw new ArgumentException("Only a new claim's transition, whose messages go to the applicant.", nameof(submitted));
        sql.Append("INSERT INTO application_events (application_id, seq, at, type, actor, office, opinion, data_json) VALUES ");
        for (var i = 0; i < submitted.Events.Count; i++)
        {
            var e = submitted.Events[i];
            sql.Append(i == 0 ? "" : ", ").Append($"(@id, {i + 1}, @at, @eventType{i}, @eventActor{i}, @eventOffice{i}, @eventOpinion{i}, @eventData{i})");
            args.Add($"eventType{i}", e.Type);
            args.Add($"eventActor{i}", e.Actor);
            args.Add($"eventOffice{i}", e.Office);
            args.Add($"eventOpinion{i}", e.Opinion);
            args.Add($"eventData{i}", e.Data is null ? null : JsonSerializer.Serialize(e.Data));
        }
        sql.Append(";\n");
        for (var i = 0; i < submitted.Sms.Count; i++)
        {
            var m = submitted.Sms[i];
            sql.Append($"""
                INSERT INTO notifications (application_id, dedupe_key, template, to_enc, body, parts, status, created_at)
                SELECT @id, @smsKey{i}, @smsTemplate{i}, @mobile, @smsBody{i}, @smsParts{i}, 'queued', @at
                WHERE NOT EXISTS (SELECT 1 FROM death_reports d WHERE d.person_key = @personKey);

                """);
            args.Add($"smsKey{i}", SmsKey(submitted.Claim, m));
            args.Add($"smsTemplate{i}", m.Template);
            args.Add($"smsBody{i}", m.Body);
            args.Add($"smsParts{i}", m.Parts);
        }
    }

    /// <summary>An SMS's once-only key: the claim version whose transition caused it, and its template.</summary>
    private static string SmsKey(Claim claim, Domain.Notifications.SmsMessage message) => $"{claim.Id}:{claim.Version}:{message.Template}";

    /// <summary>A claim's new state as <see cref="ApplyManyAsync"/> hands it to its UPDATE (<see cref="JsonRows"/>).</summary>
    private sealed record StateRow(
        [property: JsonPropertyName("id")] string Id,
        [property: JsonPropertyName("expected")] int Expected,
        [property: JsonPropertyName("status")] string Status,
        [property: JsonPropertyName("is_open")] int IsOpen,
        [property: JsonPropertyName("insuring_city")] string? InsuringCity,
        [property: JsonPropertyName("assigned_office")] string? AssignedOffice,
        [property: JsonPropertyName("first_reviewer")] string? FirstReviewer,
        [property: JsonPropertyName("months")] int? Months,
        [property: JsonPropertyName("monthly_fen")] long? MonthlyFen,
        [property: JsonPropertyName("start_month")] string? StartMonth,
        [property: JsonPropertyName("end_month")] string? EndMonth,
        [property: JsonPropertyName("stopped_on")] string? StoppedOn,
        [property: JsonPropertyName("due_at")] long? DueAt,
        [property: JsonPropertyName("version")] int Version,
        [property: JsonPropertyName("verified")] bool Verified,
        [property: JsonPropertyName("findings")] string? Findings,
        [property: JsonPropertyName("contribution_months")] int? ContributionMonths,
        [property: JsonPropertyName("carried_over")] int? CarriedOver);

    /// <summary>A history event as <see cref="AppendTo"/> hands it to its INSERT: <c>n</c> numbers the claim's events in the batch from 1.</summary>
    private sealed record EventRow(
        [property: JsonPropertyName("application_id")] string ApplicationId,
        [property: JsonPropertyName("n")] int N,
        [property: JsonPropertyName("type")] string Type,
        [property: JsonPropertyName("actor")] string Actor,
        [property: JsonPropertyName("office")] string? Office,
        [property: JsonPropertyName("opinion")] string? Opinion,
        [property: JsonPropertyName("data_json")] string? DataJson);

    private sealed class ClaimRow
    {
        public Claim ToClaim() => new(Guid.Parse(Id), CaseNumber, ServiceItem, Channel, ClaimStatuses.Parse(Status),
            AcceptingOffice, InsuringCity, AssignedOffice, FirstReviewer,
            EntitlementMonths is { } months
                ? new Entitlement((int)months, MonthlyFen!.Value, YearMonth.Parse(StartMonth!), YearMonth.Parse(EndMonth!))
                : null,
            StoppedOn is null ? null : DateOnly.ParseExact(StoppedOn, "yyyy-MM-dd", CultureInfo.InvariantCulture), (int)Version);

        public string Id { get; init; } = "";
        public string CaseNumber { get; init; } = "";
        public string ServiceItem { get; init; } = "";
        public string Channel { get; init; } = "";
        public string Status { get; init; } = "";
        public string? AcceptingOffice { get; init; }
        public string? InsuringCity { get; init; }
        public string? AssignedOffice { get; init; }
        public string? FirstReviewer { get; init; }
        public long? EntitlementMonths { get; init; }
        public long? MonthlyFen { get; init; }
        public string? StartMonth { get; init; }
        public string? EndMonth { get; init; }
        public string? StoppedOn { get; init; }
        public long Version { get; init; }
        public long ReceivedAt { get; init; }
    }
}

/// <summary>
/// One transition to commit (<see cref="ClaimStore.ApplyManyAsync"/>): the claim version it expects to find (optimistic
/// concurrency), when the claim was received (its review deadlines count from it) and, for verification, what it found.
/// </summary>
public sealed record ClaimChange(Transition Transition, int ExpectedVersion, DateTimeOffset ReceivedAt, VerificationResult? Verified = null);

/// <summary>Another command changed the claim between load and commit; the caller may retry.</summary>
public sealed class ConcurrentChangeException() : Exception("The application was changed by someone else meanwhile; try again.");
