using System.Data.Common;
using System.Globalization;
using Dapper;
using Tongban.Applications;
using Tongban.Domain;
using Tongban.Domain.Claims;
using Tongban.Domain.CrossChecks;
using Tongban.Domain.PersonalData;
using Tongban.Domain.Payouts;
using Tongban.Domain.Province;
using Tongban.Payouts;
using Tongban.Storage;

namespace Tongban.CrossChecks;

/// <summary>
/// Working days a match waits for its decision before it escalates to the insuring city's supervisor
/// (<c>CrossChecks:DecisionWorkingDays</c>, default 10: 社会保险经办条例 art. 24's 10 working days), and during which the
/// recipient may contest it at any office (<c>CrossChecks:ContestWorkingDays</c>, default 10). Province calendar.
/// </summary>
public sealed record CrossCheckOptions(int DecisionWorkingDays, int ContestWorkingDays);

/// <summary>Match statuses: <c>open</c> → <c>escalated</c> (past its deadline) → <c>decided</c> (confirm or dismiss).</summary>
public static class MatchStatus
{
    public const string Open = "open";
    public const string Escalated = "escalated";
    public const string Decided = "decided";
}

/// <summary>
/// Run statuses: <c>importing</c> (a file being read and matched, or one the process died in: its counts are what it
/// committed) → <c>completed</c>.
/// </summary>
public static class RunStatus
{
    public const string Importing = "importing";
    public const string Completed = "completed";
}

/// <summary>What a match's orchestration reads of it: its status and when it escalates.</summary>
public sealed record MatchSnapshot(string MatchId, string ApplicationId, string Status, DateTimeOffset DeadlineAt)
{
    public bool Decided => Status == MatchStatus.Decided;
}

/// <summary>A decision that committed: the claim it changed and the claim's status after it.</summary>
public sealed record MatchDecision(string MatchId, string ApplicationId, string Decision, string ClaimStatus);

/// <summary>
/// Matches and what they do to a claim, each in one transaction through the claim state machine (issue 12; seed 001
/// Shijiazhuang's monthly 跨省比对, seed 004 Hainan's in-province data): a new match suspends its claim from the first
/// overlapping month, in the transaction that stores it, so a match row exists exactly when its suspension, history line
/// and SMS do (the unique application + province + kind + since makes a second import change nothing); a person then
/// confirms (a stop event dated from the evidence) or dismisses it (the held months become due); an undecided match
/// escalates after its deadline; the recipient may contest within the window.
/// </summary>
public sealed class CrossCheckMatches(Database database, ClaimStore store, ClaimPayouts payouts, ProvinceConfig province,
    CrossCheckOptions options, TimeProvider clock)
{
    /// <summary>When a match stored at <paramref name="now"/> escalates, and until when it may be contested (epoch ms).</summary>
    internal (long DeadlineAt, long ContestUntil) Windows(DateTimeOffset now) =>
        (CrossCheckRules.DueAt(now, options.DecisionWorkingDays, province.Calendar).ToUnixTimeMilliseconds(),
         CrossCheckRules.DueAt(now, options.ContestWorkingDays, province.Calendar).ToUnixTimeMilliseconds());

    /// <summary>
    /// Inside the caller's transaction: suspends the claim of each match just stored (<paramref name="matchIds"/>), one
    /// transition per match (history line, SMS saying from which month payment is held and how to contest), all committed
    /// together (<see cref="ClaimStore.ApplyManyAsync"/>: a few statements for a chunk of an import), and sets each claim's
    /// <c>suspended_from</c> to the earliest first overlapping month of its open matches. The months a run has already
    /// taken — benefit paid or at the bank, not returned — are read in one statement for the chunk: those are not held.
    /// Returns how many it suspended.
    /// </summary>
    internal async Task<int> SuspendNewAsync(DbConnection c, DbTransaction t, IReadOnlyList<string> matchIds, DateTimeOffset now)
    {
        if (matchIds.Count == 0) return 0;
        var ids = matchIds.ToArray();
        var matches = (await c.QueryAsync<MatchRow>(
            $"{MatchRow.Select} WHERE {database.In("m.id", "ids")} ORDER BY m.application_id, m.since, m.id", new { ids }, t)).ToList();
        var applicationIds = matches.Select(m => m.ApplicationId).Distinct().ToList();
        var claims = (await store.LoadManyAsync(c, t, applicationIds)).ToDictionary(l => l.Claim.Id.ToString());
        var takenMonths = (await c.QueryAsync<(string ApplicationId, string Period)>(
                $"""
                SELECT application_id, period FROM payments
                WHERE {database.In("application_id", "apps")} AND kind = '{PaymentKind.Benefit.Code()}' AND run_id IS NOT NULL
                  AND status NOT IN ('{PaymentStatus.Returned.Code()}', '{PaymentStatus.Cancelled.Code()}')
                """, new { apps = applicationIds.ToArray() }, t))
            .ToLookup(p => p.ApplicationId, p => YearMonth.Parse(p.Period));
        var changes = new List<ClaimChange>(matches.Count);
        foreach (var claimMatches in matches.GroupBy(m => m.ApplicationId))
        {
            var (claim, receivedAt) = claims.TryGetValue(claimMatches.Key, out var loaded) ? loaded
                : throw new InvalidOperationException($"Application {claimMatches.Key} does not exist.");
            var taken = takenMonths[claimMatches.Key].ToHashSet();
            foreach (var match in claimMatches)
            {
                var transition = ClaimWorkflow.Suspend(claim, match.ToDomain(), taken, Deadlines.LocalDate(match.ContestUntilTime));
                changes.Add(new ClaimChange(transition, claim.Version, receivedAt));
                claim = transition.Claim;
            }
        }
        await store.ApplyManyAsync(c, t, changes, now);
        await c.ExecuteAsync(
            $"""
            UPDATE applications SET suspended_from = (SELECT MIN(m.overlap_from) FROM cross_check_matches m
                                                      WHERE m.application_id = applications.id AND m.status <> 'decided')
            WHERE id IN (SELECT application_id FROM cross_check_matches WHERE {database.In("id", "ids")})
            """, new { ids }, t);
        return matches.Count;
    }

    /// <summary>
    /// In-province, at once (Hainan's shared platform, seed 004): inside a registry import's transaction, each new
    /// contribution spell of a current recipient (approved or suspended claim) that starts in a month the entitlement
    /// covers raises a match — source <c>in-province</c>, province = the spell's city code, kind <c>employed</c>, since =
    /// the first day of the spell's start month, until = the last day of its end month if it ended — which suspends the
    /// claim as a national match does. The same unique key makes a re-imported spell change nothing. Returns how many
    /// claims' matches it stored.
    /// </summary>
    internal async Task<int> RaiseInProvinceAsync(DbConnection c, DbTransaction t, IReadOnlyList<NewSpell> spells, DateTimeOffset now)
    {
        string? runId = null;
        var stored = new List<string>();
        var (deadlineAt, contestUntil) = Windows(now);
        foreach (var spell in spells)
        {
            var claims = await c.QueryAsync<RecipientRow>(
                """
                SELECT id, insuring_city, entitlement_months, monthly_fen, start_month, end_month FROM applications
                WHERE person_key = @personKey AND status IN ('approved', 'suspended') AND service_item = 'unemployment-benefit'
                  AND entitlement_months IS NOT NULL
                """, new { personKey = spell.PersonKey }, t);
            foreach (var claim in claims)
            {
                var entitlement = new Domain.Entitlements.Entitlement((int)claim.EntitlementMonths, claim.MonthlyFen,
                    YearMonth.Parse(claim.StartMonth), YearMonth.Parse(claim.EndMonth));
                if (spell.Start < entitlement.StartMonth || spell.Start > entitlement.EndMonth) continue;
                if (CrossCheckRules.Overlap(entitlement, null, province.Payouts.PartialMonth, spell.Start.FirstDay, spell.End?.LastDay) is not { } overlap)
                    continue;
                if (runId is null)
                {
                    runId = Guid.NewGuid().ToString();
                    await CreateRunAsync(c, t, runId, CrossCheckSources.InProvince, ClaimWorkflow.SystemActor, now, completed: true);
                }
                var id = await c.ExecuteScalarAsync<string?>(
                    """
                    INSERT INTO cross_check_matches (id, application_id, insuring_city, run_id, source, province, kind, since, until,
                                                     overlap_from, overlap_to, status, created_at, deadline_at, contest_until)
                    VALUES (@id, @applicationId, @city, @runId, 'in-province', @province, 'employed', @since, @until, @from, @to, 'open', @at,
                            @deadlineAt, @contestUntil)
                    ON CONFLICT (application_id, province, kind, since) DO NOTHING
                    RETURNING id
                    """,
                    new
                    {
                        id = Guid.NewGuid().ToString(), applicationId = claim.Id, city = claim.InsuringCity, runId, province = spell.CityCode,
                        since = spell.Start.FirstDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                        until = spell.End?.LastDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                        from = overlap.First.ToString(), to = overlap.Last.ToString(), at = now.ToUnixTimeMilliseconds(), deadlineAt, contestUntil,
                    }, t);
                if (id is not null) stored.Add(id);
            }
        }
        return await SuspendNewAsync(c, t, stored, now);
    }

    /// <summary>A contribution spell a registry import has just added: whose (blind index), where, from and to which month.</summary>
    internal sealed record NewSpell(string PersonKey, string CityCode, YearMonth Start, YearMonth? End);

    private sealed class RecipientRow
    {
        public string Id { get; init; } = "";
        public string InsuringCity { get; init; } = "";
        public long EntitlementMonths { get; init; }
        public long MonthlyFen { get; init; }
        public string StartMonth { get; init; } = "";
        public string EndMonth { get; init; } = "";
    }

    /// <summary>
    /// Creates the run row an import's matches point to: <c>importing</c> for a file committed in parts (completed by its
    /// last commit), or <c>completed</c> at once for matches stored in the transaction that creates it.
    /// </summary>
    internal static Task CreateRunAsync(DbConnection c, DbTransaction t, string runId, string source, string actor, DateTimeOffset now,
        bool completed) =>
        c.ExecuteAsync(
            """
            INSERT INTO cross_check_runs (id, source, imported_by, created_at, status, completed_at)
            VALUES (@runId, @source, @actor, @at, @status, @completedAt)
            """,
            new
            {
                runId, source, actor, at = now.ToUnixTimeMilliseconds(), status = completed ? RunStatus.Completed : RunStatus.Importing,
                completedAt = completed ? now.ToUnixTimeMilliseconds() : (long?)null,
            }, t);

    /// <summary>
    /// A reviewer's or supervisor's decision, committed with everything it does: confirm → the stop event (overpaid months
    /// become recovery cases, <see cref="ClaimPayouts.SettleStopAsync"/>) and the held months before the stop due again;
    /// dismiss → the suspension lifts unless another match is open, and the held months it no longer holds become due
    /// (paid by the next, supplementary, run). Null when there is no such match.
    /// </summary>
    /// <exception cref="TransitionRefused">403 outside the insuring city; 409 already decided; 400 naming the field for bad input.</exception>
    public Task<MatchDecision?> DecideAsync(string matchId, StaffMember staff, string decision, string? opinion, DateOnly? stopDate,
        CancellationToken ct) =>
        database.InTransactionAsync<MatchDecision?>(async (c, t) =>
        {
            if (await LockAsync(c, t, matchId) is not { } match) return null;
            if (match.Status == MatchStatus.Decided)
                throw staff.CityCode != match.InsuringCity
                    ? new TransitionRefused(RefusalKind.Forbidden, RefusalCode.NotInsuringCity, $"Matches of this application are decided by reviewers of city {match.InsuringCity}.")
                    : new TransitionRefused(RefusalKind.Conflict, RefusalCode.AlreadyDecided, $"The match was already decided ({match.Decision}).");
            var (claim, receivedAt) = (await ClaimStore.LoadAsync(c, t, match.ApplicationId, forUpdate: database.Provider == DatabaseProvider.Postgres))!.Value;
            var heldFrom = await c.QuerySingleOrDefaultAsync<string>("SELECT suspended_from FROM applications WHERE id = @id",
                new { id = match.ApplicationId }, t);
            var others = (await c.QueryAsync<string>(
                "SELECT overlap_from FROM cross_check_matches WHERE application_id = @app AND id <> @matchId AND status <> 'decided'",
                new { app = match.ApplicationId, matchId }, t)).Select(YearMonth.Parse).ToList();
            var now = clock.GetUtcNow();
            var today = Deadlines.LocalDate(now);
            Transition transition;
            string? stopEvent = null;
            if (decision == "confirm")
                (transition, stopEvent) = ClaimWorkflow.ConfirmMatch(claim, staff, match.ToDomain(), opinion,
                    stopDate ?? throw new TransitionRefused(RefusalKind.Invalid, RefusalCode.StopDateRequired, "Required to confirm, as YYYY-MM-DD.", "stopDate"), today);
            else
                transition = ClaimWorkflow.DismissMatch(claim, staff, match.ToDomain(), opinion, others.Count > 0);
            await store.ApplyAsync(c, t, transition, claim.Version, receivedAt, now);
            var decided = transition.Claim;
            if (stopEvent is not null) await payouts.SettleStopAsync(c, t, decided, stopEvent, stopDate!.Value, null, null, now);

            var stillHeldFrom = decided.Status == ClaimStatus.Suspended ? CrossCheckRules.SuspendedFrom(others) : null;
            if (heldFrom is not null) await payouts.ReleaseHeldAsync(c, t, decided, YearMonth.Parse(heldFrom), stillHeldFrom, now);
            await c.ExecuteAsync("UPDATE applications SET suspended_from = @from WHERE id = @id",
                new { from = stillHeldFrom?.ToString(), id = match.ApplicationId }, t);
            await c.ExecuteAsync(
                """
                UPDATE cross_check_matches SET status = 'decided', decision = @decision, opinion = @opinion, stop_date = @stopDate,
                    decided_by = @by, decided_at = @at
                WHERE id = @matchId
                """,
                new
                {
                    matchId, decision, opinion = Mask.FreeText(opinion!.Trim()), by = staff.Username, at = now.ToUnixTimeMilliseconds(),
                    stopDate = decision == "confirm" ? stopDate!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
                }, t);
            return new MatchDecision(matchId, match.ApplicationId, decision, decided.Status.Code());
        }, ct);

    /// <summary>
    /// The recipient's statement against a match, taken down by staff of any office (就近) while the contest window is open:
    /// stored on the match and in the case history. Null when there is no such match.
    /// </summary>
    /// <exception cref="TransitionRefused">409 when the match is decided or the window has closed.</exception>
    public Task<MatchSnapshot?> ContestAsync(string matchId, StaffMember staff, string statement, CancellationToken ct) =>
        database.InTransactionAsync<MatchSnapshot?>(async (c, t) =>
        {
            if (await LockAsync(c, t, matchId) is not { } match) return null;
            var now = clock.GetUtcNow();
            if (match.Status == MatchStatus.Decided) throw new TransitionRefused(RefusalKind.Conflict, RefusalCode.AlreadyDecided, "The match has been decided.");
            if (now > match.ContestUntilTime)
                throw new TransitionRefused(RefusalKind.Conflict, RefusalCode.ContestPeriodEnded,
                    $"The time to contest ended on {Deadlines.LocalDate(match.ContestUntilTime):yyyy-MM-dd}.");
            await c.ExecuteAsync(
                "INSERT INTO cross_check_contests (match_id, at, actor, office, statement) VALUES (@matchId, @at, @actor, @office, @statement)",
                new { matchId, at = now.ToUnixTimeMilliseconds(), actor = staff.Username, office = staff.OfficeCode, statement = Mask.FreeText(statement) }, t);
            await AppendAsync(c, t, match.ApplicationId, ClaimWorkflow.MatchContested(staff, match.ToDomain(), statement), now);
            return match.Snapshot;
        }, ct);

    /// <summary>
    /// Past its deadline and still open: the match is escalated to the insuring city's supervisor, once (a history line).
    /// Any other match is left as it is.
    /// </summary>
    public Task<MatchSnapshot> EscalateAsync(string matchId, CancellationToken ct) =>
        database.InTransactionAsync(async (c, t) =>
        {
            var match = await LockAsync(c, t, matchId) ?? throw new InvalidOperationException($"Match {matchId} does not exist.");
            if (match.Status != MatchStatus.Open) return match.Snapshot;
            var now = clock.GetUtcNow();
            await c.ExecuteAsync("UPDATE cross_check_matches SET status = 'escalated', escalated_at = @at WHERE id = @matchId",
                new { matchId, at = now.ToUnixTimeMilliseconds() }, t);
            await AppendAsync(c, t, match.ApplicationId, ClaimWorkflow.MatchEscalated(match.ToDomain()), now);
            return match.Snapshot with { Status = MatchStatus.Escalated };
        }, ct);

    public async Task<MatchSnapshot> SnapshotAsync(string matchId, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        return (await c.QuerySingleOrDefaultAsync<MatchRow>($"{MatchRow.Select} WHERE m.id = @matchId", new { matchId }))?.Snapshot
               ?? throw new InvalidOperationException($"Match {matchId} does not exist.");
    }

    private async Task<MatchRow?> LockAsync(DbConnection c, DbTransaction t, string matchId) =>
        await c.QuerySingleOrDefaultAsync<MatchRow>(
            $"{MatchRow.Select} WHERE m.id = @matchId{(database.Provider == DatabaseProvider.Postgres ? " FOR UPDATE" : "")}", new { matchId }, t);

    /// <summary>A history line that changes nothing else about the claim.</summary>
    private static async Task AppendAsync(DbConnection c, DbTransaction t, string applicationId, ClaimEvent e, DateTimeOffset now)
    {
        var (claim, _) = (await ClaimStore.LoadAsync(c, t, applicationId))!.Value;
        await ClaimStore.AppendAsync(c, t, [new Transition(claim, [e], [])], now);
    }

    internal sealed class MatchRow
    {
        public const string Select =
            """
            SELECT m.id, m.application_id, m.insuring_city, m.source, m.province, m.kind, m.since, m.until, m.overlap_from, m.overlap_to,
                   m.status, m.decision, m.deadline_at, m.contest_until
            FROM cross_check_matches m
            """;

        public string Id { get; init; } = "";
        public string ApplicationId { get; init; } = "";
        public string InsuringCity { get; init; } = "";
        public string Source { get; init; } = "";
        public string Province { get; init; } = "";
        public string Kind { get; init; } = "";
        public string Since { get; init; } = "";
        public string? Until { get; init; }
        public string OverlapFrom { get; init; } = "";
        public string OverlapTo { get; init; } = "";
        public string Status { get; init; } = "";
        public string? Decision { get; init; }
        public long DeadlineAt { get; init; }
        public long ContestUntil { get; init; }

        public DateTimeOffset ContestUntilTime => DateTimeOffset.FromUnixTimeMilliseconds(ContestUntil);

        public MatchSnapshot Snapshot => new(Id, ApplicationId, Status, DateTimeOffset.FromUnixTimeMilliseconds(DeadlineAt));

        public CrossCheckMatch ToDomain() => new(Id, Source, Province, Kind, Day(Since), Until is null ? null : Day(Until),
            new MonthRange(YearMonth.Parse(OverlapFrom), YearMonth.Parse(OverlapTo)));

        private static DateOnly Day(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
    }
}
