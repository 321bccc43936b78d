using System.Data.Common;
using Tongban.Storage;

namespace Tongban.Payouts;

/// <summary>
/// Coordination a run needs beyond unique keys and its own row's lock (<see cref="PayoutRuns"/>): with approvals and with
/// stop settlement, which touch payments outside the run's steps.
/// </summary>
public static class PayoutLocks
{
    // Name "payout runs" and "payments in flight" for PostgreSQL's advisory locks; any constants would do.
    private const long RunsLockKey = 0x5041594F55545331;
    private const long PaymentsLockKey = 0x5041594F55545332;

    /// <summary>
    /// An approval takes this (shared) before it looks for runs it must back-pay. A transaction that creates a run
    /// takes it exclusively, so it waits for approvals in flight: those are then visible to the run's inserts, and
    /// every later approval sees the run. Without it (PostgreSQL, READ COMMITTED) an approval committing while a run
    /// starts could be missed by both. SQLite has one writer at a time, so nothing is needed there.
    /// </summary>
    public static Task ApprovalAsync(Database database, DbConnection c, DbTransaction t) =>
        database.TakeTurnAsync(c, t, RunsLockKey, shared: true);

    public static Task NewRunAsync(Database database, DbConnection c, DbTransaction t) => database.TakeTurnAsync(c, t, RunsLockKey);

    /// <summary>
    /// Taken (shared) by every transaction of a run that creates, adopts or issues payments, and exclusively by a stop
    /// event's settlement. A stop then sees each payment either before a run touched it or after the run's step has
    /// committed — never a chunk inserting a month the stop is excluding, or a file being issued with a payment the
    /// stop is cancelling. Runs do not wait for each other; stops are rare and short. SQLite serialises writers anyway.
    /// </summary>
    public static Task PayingAsync(Database database, DbConnection c, DbTransaction t) =>
        database.TakeTurnAsync(c, t, PaymentsLockKey, shared: true);

    public static Task SettlingAsync(Database database, DbConnection c, DbTransaction t) => database.TakeTurnAsync(c, t, PaymentsLockKey);
}
