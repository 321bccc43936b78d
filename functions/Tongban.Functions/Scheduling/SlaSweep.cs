using Dapper;
using Tongban.Storage;
using Tongban.Work;

namespace Tongban.Scheduling;

/// <summary>
/// Hourly: every application past its review deadline gets a <c>deadline-missed</c> history event, once
/// per stage, so supervisors see it in the case and the queue marks it overdue (Gaoming's 日清日结).
/// </summary>
public sealed class SlaSweep(Database database, WorkItems items, TimeProvider clock) : IWorkHandler
{
    public const string JobName = "SlaSweep";
    public const string WorkKind = "sla-sweep";

    public static Schedule Schedule { get; } = new(JobName, WorkKind, Schedule.Hourly);

    public string Kind => WorkKind;

    public Task HandleAsync(WorkItem item, CancellationToken ct) => database.InTransactionAsync(async (c, t) =>
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        // An event's seq is the next after the application's last one: on PostgreSQL the overdue rows are locked first,
        // as every transition locks its row, so a review committing meanwhile cannot take the same seq. (SQLite has
        // one writer at a time.) The insert below then reads what such a review committed.
        if (database.Provider == DatabaseProvider.Postgres)
            await c.ExecuteAsync(
                "SELECT id FROM applications WHERE status IN ('first-review', 'final-review') AND due_at < @now ORDER BY id FOR UPDATE",
                new { now }, t);
        await c.ExecuteAsync(
            """
            INSERT INTO application_events (application_id, seq, at, type, actor, office, opinion, data_json)
            SELECT a.id, (SELECT COALESCE(MAX(e.seq), 0) + 1 FROM application_events e WHERE e.application_id = a.id),
                   @now, 'deadline-missed', 'system', a.assigned_office, NULL, '{"stage":"' || a.status || '"}'
            FROM applications a
            WHERE a.status IN ('first-review', 'final-review') AND a.due_at < @now
              AND NOT EXISTS (SELECT 1 FROM application_events e
                              WHERE e.application_id = a.id AND e.type = 'deadline-missed'
                                AND e.data_json = '{"stage":"' || a.status || '"}')
            """, new { now }, t);
        await items.CompleteAsync(c, t, item);
    }, ct);
}
