using System.Data.Common;
using Dapper;
using Tongban.Applications;
using Tongban.Storage;

namespace Tongban.Review;

/// <summary>
/// What the claim's deadline timers record in the case history, once per stage each: <c>deadline-reminder</c> to the
/// office on the morning of the due day, and <c>deadline-missed</c> past its end, which marks the case overdue in the
/// queue for the city supervisor (Gaoming's 日清日结). A claim that has left the stage meanwhile is left as it is. Both
/// run in the caller's transaction and answer with the claim as it stands.
/// </summary>
public sealed class DeadlineAlerts(Database database, ClaimStore store, TimeProvider clock)
{
    public const string Reminder = "deadline-reminder";
    public const string Missed = "deadline-missed";

    public Task<ClaimSnapshot> RemindAsync(DbConnection c, DbTransaction t, StageInput stage) => RecordOnceAsync(c, t, stage, Reminder);

    public Task<ClaimSnapshot> FlagOverdueAsync(DbConnection c, DbTransaction t, StageInput stage) => RecordOnceAsync(c, t, stage, Missed);

    private async Task<ClaimSnapshot> RecordOnceAsync(DbConnection c, DbTransaction t, StageInput stage, string type)
    {
        // A history event's seq is the next after the claim's last: the row lock keeps a review committing meanwhile
        // from taking the same seq on PostgreSQL (SQLite has one writer at a time).
        if (database.Provider == DatabaseProvider.Postgres)
            await c.ExecuteAsync("SELECT 1 FROM applications WHERE id = @id FOR UPDATE", new { id = stage.ApplicationId }, t);
        await InsertOnceAsync(c, t, stage, type, clock.GetUtcNow());
        return await store.SnapshotAsync(c, t, stage.ApplicationId);
    }

    private static Task InsertOnceAsync(DbConnection c, DbTransaction t, StageInput stage, string type, DateTimeOffset now) =>
        c.ExecuteAsync(
            """
            INSERT INTO application_events (application_id, seq, at, type, actor, office, opinion, data_json)
            SELECT a.id, (SELECT COALESCE(MAX(e.seq), 0) + 1 FROM application_events e WHERE e.application_id = a.id),
                   @now, @type, 'system', a.assigned_office, NULL, @data
            FROM applications a
            WHERE a.id = @id AND a.status = @stage
              AND NOT EXISTS (SELECT 1 FROM application_events e WHERE e.application_id = a.id AND e.type = @type AND e.data_json = @data)
            """,
            new { id = stage.ApplicationId, stage = stage.Stage, type, data = $$"""{"stage":"{{stage.Stage}}"}""", now = now.ToUnixTimeMilliseconds() }, t);
}
