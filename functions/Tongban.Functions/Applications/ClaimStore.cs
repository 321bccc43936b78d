using System.Globalization;
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
    /// <summary>
    /// The claim and when it was received, or null when there is no such application. <paramref name="forUpdate"/>
    /// (PostgreSQL) locks the row until the transaction ends, so two deciders of one claim take turns.
    /// </summary>
    public static async Task<(Claim Claim, DateTimeOffset ReceivedAt)?> LoadAsync(DbConnection connection, DbTransaction? transaction, string id,
        bool forUpdate = false)
    {
        var row = await connection.QuerySingleOrDefaultAsync<ClaimRow>(
            $"""
            SELECT id, case_number, service_item, channel, status, accepting_office, insuring_city, assigned_office,
                   first_reviewer, entitlement_months, monthly_fen, start_month, end_month, stopped_on, version, received_at
            FROM applications WHERE id = @id{(forUpdate ? " FOR UPDATE" : "")}
            """, new { id }, transaction);
        if (row is null) return null;
        var entitlement = row.EntitlementMonths is { } months
            ? new Entitlement((int)months, row.MonthlyFen!.Value, YearMonth.Parse(row.StartMonth!), YearMonth.Parse(row.EndMonth!))
            : null;
        var claim = new Claim(Guid.Parse(row.Id), row.CaseNumber, row.ServiceItem, row.Channel, ClaimStatuses.Parse(row.Status),
            row.AcceptingOffice, row.InsuringCity, row.AssignedOffice, row.FirstReviewer, entitlement,
            row.StoppedOn is null ? null : DateOnly.ParseExact(row.StoppedOn, "yyyy-MM-dd", CultureInfo.InvariantCulture), (int)row.Version);
        return (claim, DateTimeOffset.FromUnixTimeMilliseconds(row.ReceivedAt));
    }

    /// <summary>
    /// Commits a transition of an existing claim; throws <see cref="ConcurrentChangeException"/> if someone else moved it
    /// first. With <paramref name="verified"/> the same UPDATE stores verification's findings and the contribution months
    /// it counted (one row version, not two: every version of an application row costs all its indexes).
    /// </summary>
    public async Task ApplyAsync(DbConnection connection, DbTransaction transaction, Transition transition,
        int expectedVersion, DateTimeOffset receivedAt, DateTimeOffset now, VerificationResult? verified = null)
    {
        const string findings = ", findings_json = @findings, contribution_months = @contributionMonths, carried_over_months = @carriedOver";
        var c = transition.Claim;
        var updated = await connection.ExecuteAsync(
            $"""
            UPDATE applications SET status = @status, is_open = @isOpen, insuring_city = @insuringCity,
                assigned_office = @assignedOffice, first_reviewer = @firstReviewer,
                entitlement_months = @months, monthly_fen = @monthlyFen, start_month = @startMonth, end_month = @endMonth,
                stopped_on = @stoppedOn, due_at = @dueAt, version = @version, updated_at = @now{(verified is null ? "" : findings)}
            WHERE id = @id AND version = @expectedVersion
            """,
            new
            {
                id = c.Id.ToString(), status = c.Status.Code(), isOpen = c.Status.IsOpen() ? 1 : 0, insuringCity = c.InsuringCity,
                assignedOffice = c.AssignedOffice, firstReviewer = c.FirstReviewer,
                months = c.Entitlement?.Months, monthlyFen = c.Entitlement?.MonthlyFen,
                startMonth = c.Entitlement?.StartMonth.ToString(), endMonth = c.Entitlement?.EndMonth.ToString(),
                stoppedOn = c.StoppedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                dueAt = Deadlines.DueAt(c.Status, receivedAt, province)?.ToUnixTimeMilliseconds(),
                version = c.Version, expectedVersion, now = now.ToUnixTimeMilliseconds(),
                findings = verified is null ? null : JsonSerializer.Serialize(verified.Findings),
                contributionMonths = verified?.ContributionMonths, carriedOver = verified?.CarriedOverMonths,
            }, transaction);
        if (updated != 1) throw new ConcurrentChangeException();
        await AppendAsync(connection, transaction, transition, now);
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
    /// Appends the transition's history events and SMS, as one batch of statements
    /// (one round trip: intake runs this hundreds of times a second).
    /// </summary>
    public static Task AppendAsync(DbConnection connection, DbTransaction transaction, Transition transition, DateTimeOffset now)
    {
        var sql = new StringBuilder();
        var args = new DynamicParameters();
        AppendTo(sql, args, transition, now);
        return connection.ExecuteAsync(sql.ToString(), args, transaction);
    }

    /// <summary>
    /// Adds the append statements to a caller's batch — one for the history events, one per SMS; they use the
    /// parameters @id and @at.
    /// </summary>
    public static void AppendTo(StringBuilder sql, DynamicParameters args, Transition transition, DateTimeOffset now)
    {
        args.Add("id", transition.Claim.Id.ToString());
        args.Add("at", now.ToUnixTimeMilliseconds());
        if (transition.Events.Count > 0)
        {
            // All the transition's events in one statement, numbered on from the claim's last (column1 of the VALUES).
            sql.Append("""
                INSERT INTO application_events (application_id, seq, at, type, actor, office, opinion, data_json)
                SELECT @id, last.seq + v.column1, @at, v.column2, v.column3, v.column4, v.column5, v.column6
                FROM (SELECT COALESCE(MAX(seq), 0) AS seq FROM application_events WHERE application_id = @id) last,
                     (VALUES
                """);
            for (var i = 0; i < transition.Events.Count; i++)
            {
                var e = transition.Events[i];
                sql.Append(i == 0 ? "" : ", ").Append($"({i + 1}, @type{i}, @actor{i}, @office{i}, @opinion{i}, @data{i})");
                args.Add($"type{i}", e.Type);
                args.Add($"actor{i}", e.Actor);
                args.Add($"office{i}", e.Office);
                args.Add($"opinion{i}", e.Opinion);
                args.Add($"data{i}", e.Data is null ? null : JsonSerializer.Serialize(e.Data));
            }
            sql.Append(") v;\n");
        }
        for (var i = 0; i < transition.Sms.Count; i++)
        {
            var sms = transition.Sms[i];
            // One SMS per event: the key is the claim version that caused it and the template.
            sql.Append(Notifications.SmsRecipients.InsertSql("id", $"smsKey{i}", $"template{i}", $"body{i}", $"parts{i}", $"family{i}", "at"));
            var key = $"{transition.Claim.Id}:{transition.Claim.Version}:{sms.Template}";
            args.Add($"smsKey{i}", key);
            args.Add($"template{i}", sms.Template);
            args.Add($"body{i}", sms.Body);
            args.Add($"parts{i}", sms.Parts);
            args.Add($"family{i}", sms.ToFamily);
        }
    }

    private sealed class ClaimRow
    {
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

/// <summary>Another command changed the claim between load and commit; the caller may retry.</summary>
public sealed class ConcurrentChangeException() : Exception("The application was changed by someone else meanwhile; try again.");
