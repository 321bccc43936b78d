using System.Data.Common;
using Dapper;
using Tongban.Storage;

namespace Tongban.Work;

/// <summary>A unit of follow-up work: committed with the state change that caused it, run at least once.</summary>
public sealed class WorkItem
{
    public long Id { get; init; }
    public string Kind { get; init; } = "";
    public string Payload { get; init; } = "";
    public int Attempts { get; init; }
    public int MaxAttempts { get; init; }
    public string LeaseOwner { get; init; } = "";
}

/// <summary>
/// The work-item table (transactional outbox): enqueue inside a state change's transaction,
/// lease a batch, complete or reschedule with backoff, dead-letter after the last attempt.
/// </summary>
public sealed class WorkItems(Database database, TimeProvider clock, TimeSpan leaseDuration)
{
    /// <summary>
    /// How long a leased item stays with its worker. A crashed worker's items wait this long before
    /// another takes them; a handler must finish well within it (SMS and HTTP calls time out sooner).
    /// </summary>
    public TimeSpan LeaseDuration { get; } = leaseDuration;

    public const int DefaultMaxAttempts = 8;

    /// <summary>Enqueue once: a second enqueue with the same <paramref name="dedupeKey"/> is ignored.</summary>
    public static Task EnqueueAsync(DbConnection connection, DbTransaction transaction, string kind, string payload,
        string dedupeKey, DateTimeOffset dueAt, DateTimeOffset now, int maxAttempts = DefaultMaxAttempts) =>
        connection.ExecuteAsync(
            EnqueueSql("@kind", "@payload", "@dedupeKey", "@due", "@now", "@maxAttempts"),
            new { kind, payload, dedupeKey, due = dueAt.ToUnixTimeMilliseconds(), maxAttempts, now = now.ToUnixTimeMilliseconds() },
            transaction);

    /// <summary>The enqueue statement over the named parameters, for callers that batch it with their own.</summary>
    public static string EnqueueSql(string kind, string payload, string dedupeKey, string due, string now, string maxAttempts) =>
        $"""
         INSERT INTO work_items (kind, payload, dedupe_key, status, due_at, attempts, max_attempts, created_at)
         VALUES ({kind}, {payload}, {dedupeKey}, 'pending', {due}, 0, {maxAttempts}, {now})
         ON CONFLICT (dedupe_key) DO NOTHING
         """;

    /// <summary>Lease up to <paramref name="count"/> due items. A crashed worker's lease simply expires.</summary>
    public async Task<IReadOnlyList<WorkItem>> LeaseAsync(string owner, int count, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var args = new { owner, count, now = now.ToUnixTimeMilliseconds(), until = now.Add(LeaseDuration).ToUnixTimeMilliseconds() };
        var sql = database.Provider == DatabaseProvider.Postgres
            ? """
              UPDATE work_items w SET lease_owner = @owner, lease_until = @until, attempts = w.attempts + 1
              FROM (SELECT id FROM work_items
                    WHERE status = 'pending' AND due_at <= @now AND (lease_until IS NULL OR lease_until < @now)
                    ORDER BY due_at LIMIT @count FOR UPDATE SKIP LOCKED) due
              WHERE w.id = due.id
              RETURNING w.id, w.kind, w.payload, w.attempts, w.max_attempts, w.lease_owner
              """
            : """
              UPDATE work_items SET lease_owner = @owner, lease_until = @until, attempts = attempts + 1
              WHERE id IN (SELECT id FROM work_items
                           WHERE status = 'pending' AND due_at <= @now AND (lease_until IS NULL OR lease_until < @now)
                           ORDER BY due_at LIMIT @count)
              RETURNING id, kind, payload, attempts, max_attempts, lease_owner
              """;
        return await database.InTransactionAsync(async (c, t) =>
            (await c.QueryAsync<WorkItem>(new CommandDefinition(sql, args, t, cancellationToken: ct))).ToList(), ct);
    }

    /// <summary>
    /// Marks the item done inside the caller's transaction, so its effect and its completion commit
    /// together. Fails (rolling the effect back) if the lease was lost to another worker meanwhile.
    /// </summary>
    public async Task CompleteAsync(DbConnection connection, DbTransaction transaction, WorkItem item)
    {
        var updated = await connection.ExecuteAsync(
            """
            UPDATE work_items SET status = 'done', done_at = @now, lease_owner = NULL, lease_until = NULL, last_error = NULL
            WHERE id = @id AND lease_owner = @owner AND status = 'pending'
            """,
            new { id = item.Id, owner = item.LeaseOwner, now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, transaction);
        if (updated != 1) throw new LeaseLostException(item.Id);
    }

    /// <summary>Reschedules with exponential backoff, or dead-letters after the last attempt.</summary>
    public Task FailAsync(WorkItem item, string error, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var backoff = TimeSpan.FromSeconds(Math.Min(3600, 5 * Math.Pow(2, item.Attempts - 1)));
        return database.InTransactionAsync((c, t) => c.ExecuteAsync(
            """
            UPDATE work_items
            SET status = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'pending' END,
                due_at = @due, lease_owner = NULL, lease_until = NULL, last_error = @error
            WHERE id = @id AND lease_owner = @owner
            """,
            new { id = item.Id, owner = item.LeaseOwner, due = now.Add(backoff).ToUnixTimeMilliseconds(), error = Truncate(error) }, t), ct);
    }

    private static string Truncate(string text) => text.Length <= 2000 ? text : text[..2000];
}

public sealed class LeaseLostException(long id) : Exception($"Work item {id} was leased by another worker meanwhile.");
