using System.Globalization;
using System.Data;
using System.Data.Common;
using System.Text;
using System.Text.Json;
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
    /// Commits the transitions of many claims in a few statements: one UPDATE of the claims' state and one INSERT of their
    /// history events for every 500 claims, and the SMS rows. A claim may appear more than once, its transitions in
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

        var updated = 0;
        foreach (var chunk in rows.Chunk(RowsPerStatement)) updated += await UpdateAsync(connection, transaction, chunk, now);
        if (updated != rows.Count) throw new ConcurrentChangeException();
        foreach (var chunk in changes.Chunk(RowsPerStatement)) await AppendAsync(connection, transaction, chunk.Select(c => c.Transition).ToList(), now);
    }

    /// <summary>
    /// Claims per statement of <see cref="ApplyManyAsync"/>: some 18 parameters each, well under SQLite's 32,766 and
    /// PostgreSQL's 65,535 parameters a statement.
    /// </summary>
    private const int RowsPerStatement = 500;

    private async Task<int> UpdateAsync(DbConnection connection, DbTransaction transaction, (ClaimChange Last, int ExpectedVersion)[] rows, DateTimeOffset now)
    {
        var sql = new StringBuilder("""
            WITH v (id, expected, status, is_open, insuring_city, assigned_office, first_reviewer, months, monthly_fen,
                    start_month, end_month, stopped_on, due_at, version, verified, findings, contribution_months, carried_over) AS (VALUES

            """);
        var args = new DynamicParameters();
        args.Add("now", now.ToUnixTimeMilliseconds(), DbType.Int64);
        for (var i = 0; i < rows.Length; i++)
        {
            var (change, expected) = rows[i];
            var c = change.Transition.Claim;
            var verified = change.Verified;
            sql.Append(i == 0 ? "    (" : ",\n    (");
            void Add(string name, object? value, DbType type, bool last = false)
            {
                var parameter = $"{name}{i}";
                args.Add(parameter, value, type);
                sql.Append(type == DbType.Int64 ? $"CAST(@{parameter} AS BIGINT)" : $"CAST(@{parameter} AS TEXT)").Append(last ? ")" : ", ");
            }
            Add("id", c.Id.ToString(), DbType.String);
            Add("expected", (long)expected, DbType.Int64);
            Add("status", c.Status.Code(), DbType.String);
            Add("isOpen", c.Status.IsOpen() ? 1L : 0L, DbType.Int64);
            Add("insuringCity", c.InsuringCity, DbType.String);
            Add("assignedOffice", c.AssignedOffice, DbType.String);
            Add("firstReviewer", c.FirstReviewer, DbType.String);
            Add("months", (long?)c.Entitlement?.Months, DbType.Int64);
            Add("monthlyFen", c.Entitlement?.MonthlyFen, DbType.Int64);
            Add("startMonth", c.Entitlement?.StartMonth.ToString(), DbType.String);
            Add("endMonth", c.Entitlement?.EndMonth.ToString(), DbType.String);
            Add("stoppedOn", c.StoppedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), DbType.String);
            Add("dueAt", Deadlines.DueAt(c.Status, change.ReceivedAt, province)?.ToUnixTimeMilliseconds(), DbType.Int64);
            Add("version", (long)c.Version, DbType.Int64);
            Add("verified", verified is null ? 0L : 1L, DbType.Int64);
            Add("findings", verified is null ? null : JsonSerializer.Serialize(verified.Findings), DbType.String);
            Add("contributionMonths", (long?)verified?.ContributionMonths, DbType.Int64);
            Add("carriedOver", (long?)verified?.CarriedOverMonths, DbType.Int64, last: true);
        }
        sql.Append("""
            )
            UPDATE applications SET status = v.status, is_open = v.is_open, insuring_city = v.insuring_city,
                assigned_office = v.assigned_office, first_reviewer = v.first_reviewer,
                entitlement_months = v.months, monthly_fen = v.monthly_fen, start_month = v.start_month, end_month = v.end_month,
                stopped_on = v.stopped_on, due_at = v.due_at, version = v.version, updated_at = @now,
                findings_json = CASE WHEN v.verified = 1 THEN v.findings ELSE applications.findings_json END,
                contribution_months = CASE WHEN v.verified = 1 THEN v.contribution_months ELSE applications.contribution_months END,
                carried_over_months = CASE WHEN v.verified = 1 THEN v.carried_over ELSE applications.carried_over_months END
            FROM v
            WHERE applications.id = v.id AND applications.version = v.expected
            """);
        return await connection.ExecuteAsync(sql.ToString(), args, transaction);
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
    /// Appends the transitions' history events and SMS, as one batch of statements
    /// (one round trip: intake runs this hundreds of times a second).
    /// </summary>
    public static Task AppendAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<Transition> transitions, DateTimeOffset now)
    {
        var sql = new StringBuilder();
        var args = new DynamicParameters();
        AppendTo(sql, args, transitions, now);
        return sql.Length == 0 ? Task.CompletedTask : connection.ExecuteAsync(sql.ToString(), args, transaction);
    }

    /// <summary>
    /// Adds the append statements to a caller's batch: one INSERT for every history event of every transition (numbered
    /// on from each claim's last), one per SMS. Its parameters are named <c>ev…</c>, <c>sms…</c> and <c>at</c>.
    /// </summary>
    public static void AppendTo(StringBuilder sql, DynamicParameters args, IReadOnlyList<Transition> transitions, DateTimeOffset now)
    {
        args.Add("at", now.ToUnixTimeMilliseconds(), DbType.Int64);
        var numbered = new Dictionary<Guid, int>();
        var events = 0;
        foreach (var transition in transitions)
        {
            var claimId = transition.Claim.Id;
            foreach (var e in transition.Events)
            {
                var n = numbered[claimId] = numbered.GetValueOrDefault(claimId) + 1;
                sql.Append(events == 0
                    ? "WITH e (application_id, n, type, actor, office, opinion, data_json) AS (VALUES\n    "
                    : ",\n    ");
                sql.Append($"(CAST(@evApp{events} AS TEXT), CAST(@evN{events} AS BIGINT), CAST(@evType{events} AS TEXT), " +
                           $"CAST(@evActor{events} AS TEXT), CAST(@evOffice{events} AS TEXT), CAST(@evOpinion{events} AS TEXT), CAST(@evData{events} AS TEXT))");
                args.Add($"evApp{events}", claimId.ToString(), DbType.String);
                args.Add($"evN{events}", (long)n, DbType.Int64);
                args.Add($"evType{events}", e.Type, DbType.String);
                args.Add($"evActor{events}", e.Actor, DbType.String);
                args.Add($"evOffice{events}", e.Office, DbType.String);
                args.Add($"evOpinion{events}", e.Opinion, DbType.String);
                args.Add($"evData{events}", e.Data is null ? null : JsonSerializer.Serialize(e.Data), DbType.String);
                events++;
            }
        }
        if (events > 0)
            sql.Append("""
                )
                INSERT INTO application_events (application_id, seq, at, type, actor, office, opinion, data_json)
                SELECT e.application_id,
                       COALESCE((SELECT MAX(x.seq) FROM application_events x WHERE x.application_id = e.application_id), 0) + e.n,
                       @at, e.type, e.actor, e.office, e.opinion, e.data_json
                FROM e;

                """);
        var messages = 0;
        foreach (var transition in transitions)
        {
            foreach (var sms in transition.Sms)
            {
                var i = messages++;
                // One SMS per event: the key is the claim version that caused it and the template.
                sql.Append(Notifications.SmsRecipients.InsertSql($"smsApp{i}", $"smsKey{i}", $"smsTemplate{i}", $"smsBody{i}", $"smsParts{i}", $"smsFamily{i}", "at"));
                args.Add($"smsApp{i}", transition.Claim.Id.ToString());
                args.Add($"smsKey{i}", $"{transition.Claim.Id}:{transition.Claim.Version}:{sms.Template}");
                args.Add($"smsTemplate{i}", sms.Template);
                args.Add($"smsBody{i}", sms.Body);
                args.Add($"smsParts{i}", sms.Parts);
                args.Add($"smsFamily{i}", sms.ToFamily);
            }
        }
    }

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
