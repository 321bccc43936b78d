using System.Buffers.Binary;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using CsvHelper;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using SQLitePCL;
using Tongban.Domain.Claims;
using Tongban.Domain.CrossChecks;
using Tongban.Domain.Identifiers;
using Tongban.Domain;
using Tongban.Hosting;
using Tongban.PersonalData;
using Tongban.Registry;
using Tongban.Storage;

namespace Tongban.CrossChecks;

/// <summary>
/// What an import of a comparison result did: its run; lines read; <c>matched</c>, lines whose period elsewhere shares a
/// month with a recipient's paid months (new or matched by an earlier import); <c>suspended</c>, the new matches, each of
/// which suspended its claim; <c>alreadyMatched</c>, matched lines an earlier import had stored (the same file twice
/// changes nothing); <c>noOverlap</c>, recipients' lines sharing no month; and each rejected line with its reasons.
/// </summary>
public sealed record CrossCheckImportResult(string RunId, int Lines, int Matched, int Suspended, int AlreadyMatched, int NoOverlap,
    IReadOnlyList<LineReport> Rejected);

/// <summary>
/// Imports the national comparison system's result (contract: Cross-province checks; Shijiazhuang's monthly 跨省比对,
/// seed 001): CSV <c>idNumber,name,province,kind,since[,until]</c>, dates YYYY-MM-DD, <c>until</c> empty while the period
/// goes on. Memory grows with the recipients, never with the file (only rejected lines are kept):
/// <list type="number">
/// <item>The recipient claims (approved or suspended benefit) are read once: each person's blind index and paid months.</item>
/// <item>Each line is checked, its identity number turned into the blind index (never stored), and judged at once against
/// the person's claim by months, not status (<see cref="CrossCheckRules.Overlap"/>): a match, a stranger (no recipient
/// claim) or no overlap. It is staged in a temporary table of the importing connection — private to it, gone with it, on
/// SQLite no hold on the single writer — as its line number, a 128-bit hash of what makes two lines duplicates (person,
/// province, kind, since) and its verdict; a match also with its evidence, the name the line gives among it (a name
/// that differs from the recipient's is shown to the person who decides, never a reason to refuse the line; SQLite a
/// prepared insert, PostgreSQL binary COPY).</item>
/// <item>One sort of those narrow rows by hash and line finds the duplicates (every line after the first of its hash) and
/// hands over the rest in order: strangers reported, matches stored — each suspending its claim
/// (<see cref="CrossCheckMatches"/>) — <c>CrossChecks:MatchesPerCommit</c> to a transaction, while the sort reads on.</item>
/// </list>
/// The run is <c>importing</c> until its last commit: a process that dies mid-import leaves it so, with the counts it
/// committed, and the matches it committed suspended; the same file imported again stores, suspends and texts only the
/// rest (the matches' unique key).
/// </summary>
public sealed class CrossCheckImport(Database database, PersonalDataProtector protector, CrossCheckMatches matches, TimeProvider clock,
    IConfiguration configuration, ILogger<CrossCheckImport> log)
{
    public static readonly string[] Header = ["idNumber", "name", "province", "kind", "since"];

    /// <summary>
    /// Matches stored and suspended per transaction (<c>CrossChecks:MatchesPerCommit</c>, default 250): each suspension is
    /// a claim transition (history line, SMS), about half a millisecond on SQLite, so a commit holds the single writer for
    /// a fraction of a second and intake goes on meanwhile; on PostgreSQL a few milliseconds of round trips, so a file's
    /// matches make several commits to run at once.
    /// </summary>
    private int MatchesPerCommit { get; } = Math.Max(1, configuration.GetValue("CrossChecks:MatchesPerCommit", 250));

    /// <summary>Lines staged per transaction of the temporary table (SQLite): bounds its journal, takes no writer lock.</summary>
    private const int LinesPerStagingCommit = 50_000;

    private const string NotRecipient = "idNumber: not a current benefit recipient (no approved or suspended claim) / 非在领失业保险金人员";
    private const string Duplicate = "duplicate: the same idNumber, province, kind and since as an earlier line / 重复行";

    /// <summary>What a staged line is, judged when it was read.</summary>
    private enum Verdict { NoOverlap = 0, Stranger = 1, Match = 2 }

    /// <summary>
    /// Recipient claims: approved or suspended benefits with an entitlement (at most one open per person). SQLite is held
    /// to the index that holds exactly these claims' columns (an index-only scan; its planner otherwise reads the rows).
    /// </summary>
    private string RecipientsSql => $"""
        SELECT person_key, start_month, end_month
        FROM applications{(database.Provider == DatabaseProvider.Sqlite ? " INDEXED BY ix_applications_recipients" : "")}
        WHERE status IN ('approved', 'suspended') AND service_item = 'unemployment-benefit' AND entitlement_months IS NOT NULL
        """;

    /// <exception cref="InvalidCsvException">The header cannot be read or lacks a column: nothing is imported.</exception>
    public async Task<CrossCheckImportResult> ImportCsvAsync(Stream stream, string actor, CancellationToken ct)
    {
        await using var csv = await CsvUploads.OpenAsync(stream, ct);
        var missing = Header.Where(h => !csv.Headers.Contains(h)).ToList();
        if (missing.Count > 0) throw new InvalidCsvException($"The first line must be the header; it lacks: {string.Join(", ", missing)}.");

        var runId = Guid.NewGuid().ToString();
        var now = clock.GetUtcNow();
        var watch = Stopwatch.StartNew();
        // Committed before any line is read: a process that dies from here on leaves a run recognisably incomplete.
        await database.InTransactionAsync((c, t) => CrossCheckMatches.CreateRunAsync(c, t, runId, CrossCheckSources.National, actor, now, completed: false), ct);
        var recipients = await LoadRecipientsAsync(ct);
        var loadedIn = watch.Elapsed;

        var rejected = new List<LineReport>();
        await using var staging = await OpenStagingAsync(ct);
        try
        {
            int read;
            using (var hasher = protector.CreatePersonKeyHasher())
            {
                // Three threads, handed over in order: reading the CSV, checking and hashing each line, staging it.
                var lines = AheadAsync(JudgeAsync(AheadAsync(RecordsAsync(csv, ct), ct), hasher, recipients, Deadlines.LocalDate(now), rejected, ct), ct);
                read = staging is NpgsqlConnection npgsql ? await CopyAsync(npgsql, lines, ct) : await InsertAsync((SqliteConnection)staging, lines, ct);
            }
            var stagedIn = watch.Elapsed;
            await database.InTransactionAsync((c, t) => c.ExecuteAsync("UPDATE cross_check_runs SET lines = @lines WHERE id = @runId",
                new { runId, lines = read }, t), ct);

            var (matched, suspended, noOverlap, waiting) = await MatchAsync(staging, runId, now, rejected, ct);
            await database.InTransactionAsync((c, t) => c.ExecuteAsync(
                """
                UPDATE cross_check_runs SET status = @completed, completed_at = @at, lines = @lines, matched = @matched, suspended = @suspended,
                    no_overlap = @noOverlap, rejected = @rejected
                WHERE id = @runId
                """,
                new
                {
                    runId, completed = RunStatus.Completed, at = clock.GetUtcNow().ToUnixTimeMilliseconds(), lines = read, matched, suspended,
                    noOverlap, rejected = rejected.Count,
                }, t), ct);
            log.LogInformation(
                "Cross-check run {RunId}: {Recipients} recipients read in {LoadSeconds:F1} s; {Lines} lines read, judged and staged in {StagedSeconds:F1} s; " +
                "sorted and committed in {MatchedSeconds:F1} s (of which {WaitingSeconds:F1} s waiting for commits): {Matched} matched, {Suspended} suspended, {Rejected} rejected",
                runId, recipients.Count, loadedIn.TotalSeconds, read, (stagedIn - loadedIn).TotalSeconds, (watch.Elapsed - stagedIn).TotalSeconds,
                waiting.TotalSeconds, matched, suspended, rejected.Count);
            return new CrossCheckImportResult(runId, read, matched, suspended, matched - suspended, noOverlap,
                rejected.OrderBy(r => r.Line).ToList());
        }
        finally
        {
            // A pooled session outlives the import: its temporary table and memory setting must not.
            if (staging is NpgsqlConnection) await staging.ExecuteAsync("DROP TABLE IF EXISTS cross_check_staging; RESET work_mem");
        }
    }

    /// <summary>
    /// Each recipient claim's paid months by the first 16 bytes of the person's blind index: an HMAC, so two people
    /// sharing 128 bits of it is as unlikely as sharing all 256. About 40 bytes a recipient (40 MB for a million).
    /// </summary>
    private async Task<Dictionary<Int128, (YearMonth Start, YearMonth End)>> LoadRecipientsAsync(CancellationToken ct)
    {
        var recipients = new Dictionary<Int128, (YearMonth Start, YearMonth End)>();
        var hash = new byte[32];
        await using var c = await database.OpenAsync(ct);
        await using var reader = await c.ExecuteReaderAsync(new CommandDefinition(RecipientsSql, commandTimeout: 0, cancellationToken: ct));
        while (await reader.ReadAsync(ct))
            if (PersonKeyHasher.TryDecode(reader.GetString(0), hash))
                recipients[BinaryPrimitives.ReadInt128LittleEndian(hash)] = (YearMonth.Parse(reader.GetString(1)), YearMonth.Parse(reader.GetString(2)));
        return recipients;
    }

    /// <summary>
    /// A line to stage: its number, the two halves of the 128-bit hash of what makes lines duplicates, its verdict, and for
    /// a match its evidence (null otherwise).
    /// </summary>
    private sealed record StagedLine(int Line, long Hash1, long Hash2, Verdict Verdict, MatchEvidence? Evidence);

    /// <summary>A matched line's evidence: whose (blind index), the name given, where, what, since and until when (YYYY-MM-DD).</summary>
    private sealed record MatchEvidence(string PersonKey, string Name, string Province, string Kind, string Since, string? Until);

    /// <summary>
    /// The connection that stages and sorts the lines. SQLite: a connection of its own, outside the pool, so that its
    /// temporary table and cache end with it — 32 MB of page cache for the temporary database — and the sorter may use a
    /// second thread. PostgreSQL: a pooled session (reset when returned).
    /// </summary>
    private async Task<DbConnection> OpenStagingAsync(CancellationToken ct)
    {
        if (database.Provider == DatabaseProvider.Postgres) return await database.OpenAsync(ct);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ToString());
        await connection.OpenAsync(ct);
        await connection.ExecuteAsync("PRAGMA temp.cache_size = -32768; PRAGMA threads = 2");
        return connection;
    }

    /// <summary>
    /// SQLite: a temporary table of this connection keyed by line (appended in file order), filled by one statement
    /// prepared once and bound straight through SQLite's C interface (the ADO.NET command's own binding took as long as
    /// the insert), in deferred transactions of <see cref="LinesPerStagingCommit"/> lines that write only the temporary
    /// database (no lock on the store, so other writers go on).
    /// </summary>
    private static async Task<int> InsertAsync(SqliteConnection c, IAsyncEnumerable<(int Read, StagedLine? Line)> lines, CancellationToken ct)
    {
        await c.ExecuteAsync(
            """
            DROP TABLE IF EXISTS temp.cross_check_staging;
            CREATE TEMP TABLE cross_check_staging (line INTEGER PRIMARY KEY, h1 INTEGER NOT NULL, h2 INTEGER NOT NULL, verdict INTEGER NOT NULL,
                                                   person_key TEXT, name TEXT, province TEXT, kind TEXT, since TEXT, until TEXT);
            """);
        var db = c.Handle!;
        Check(raw.sqlite3_prepare_v2(db, "INSERT INTO temp.cross_check_staging VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", out var insert), db);
        int read = 0, staged = 0;
        using (insert)
        {
            var transaction = c.BeginTransaction(deferred: true);
            try
            {
                await foreach (var (count, line) in lines.WithCancellation(ct))
                {
                    read = count;
                    if (line is null) continue;
                    raw.sqlite3_bind_int64(insert, 1, line.Line);
                    raw.sqlite3_bind_int64(insert, 2, line.Hash1);
                    raw.sqlite3_bind_int64(insert, 3, line.Hash2);
                    raw.sqlite3_bind_int(insert, 4, (int)line.Verdict);
                    if (line.Evidence is { } e)
                    {
                        raw.sqlite3_bind_text(insert, 5, e.PersonKey);
                        raw.sqlite3_bind_text(insert, 6, e.Name);
                        raw.sqlite3_bind_text(insert, 7, e.Province);
                        raw.sqlite3_bind_text(insert, 8, e.Kind);
                        raw.sqlite3_bind_text(insert, 9, e.Since);
                        if (e.Until is null) raw.sqlite3_bind_null(insert, 10);
                        else raw.sqlite3_bind_text(insert, 10, e.Until);
                    }
                    else
                    {
                        for (var i = 5; i <= 10; i++) raw.sqlite3_bind_null(insert, i);
                    }
                    if (raw.sqlite3_step(insert) != raw.SQLITE_DONE) Check(raw.sqlite3_reset(insert), db);
                    raw.sqlite3_reset(insert);
                    if (++staged % LinesPerStagingCommit != 0) continue;
                    transaction.Commit();
                    transaction.Dispose();
                    transaction = c.BeginTransaction(deferred: true);
                }
                transaction.Commit();
            }
            finally
            {
                transaction.Dispose();
            }
        }
        return read;

        static void Check(int rc, sqlite3 db)
        {
            if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, db);
        }
    }

    /// <summary>PostgreSQL: binary COPY into a temporary table of this session (no WAL, nothing to delete after).</summary>
    private static async Task<int> CopyAsync(NpgsqlConnection c, IAsyncEnumerable<(int Read, StagedLine? Line)> lines, CancellationToken ct)
    {
        await c.ExecuteAsync(
            """
            DROP TABLE IF EXISTS cross_check_staging;
            CREATE TEMP TABLE cross_check_staging (line BIGINT NOT NULL, h1 BIGINT NOT NULL, h2 BIGINT NOT NULL, verdict INTEGER NOT NULL,
                                                   person_key TEXT, name TEXT, province TEXT, kind TEXT, since TEXT, until TEXT);
            """);
        var read = 0;
        await using (var copy = await c.BeginBinaryImportAsync(
                         "COPY cross_check_staging (line, h1, h2, verdict, person_key, name, province, kind, since, until) FROM STDIN (FORMAT BINARY)", ct))
        {
            await foreach (var (count, line) in lines.WithCancellation(ct))
            {
                read = count;
                if (line is null) continue;
                await copy.StartRowAsync(ct);
                await copy.WriteAsync((long)line.Line, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(line.Hash1, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(line.Hash2, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync((int)line.Verdict, NpgsqlDbType.Integer, ct);
                foreach (var text in line.Evidence is { } e ? [e.PersonKey, e.Name, e.Province, e.Kind, e.Since, e.Until] : new string?[6])
                    if (text is null) await copy.WriteNullAsync(ct);
                    else await copy.WriteAsync(text, NpgsqlDbType.Text, ct);
            }
            await copy.CompleteAsync(ct);
        }
        // One sort of every staged line: in memory rather than in many temporary files.
        await c.ExecuteAsync("SET work_mem = '256MB'");
        return read;
    }

    /// <summary>
    /// Streams the staged lines sorted by duplicate hash and line on the staging connection: a line with the hash of the
    /// one before is a duplicate; otherwise strangers are reported, lines without overlap counted, and matches stored and
    /// suspended <see cref="MatchesPerCommit"/> at a time in their own transactions (other connections), each commit also
    /// adding to the run's counts. Commits run while the sort reads on — on PostgreSQL up to four at once (a suspension is
    /// a few round trips to the server, and waiting for them, not work, is most of a commit's time), on SQLite one
    /// committing and the next waiting for the writer. Returns the matched lines (new or matched before), the new matches,
    /// the lines without overlap, and how long reading waited for commits.
    /// </summary>
    private async Task<(int Matched, int Suspended, int NoOverlap, TimeSpan Waiting)> MatchAsync(DbConnection staging, string runId,
        DateTimeOffset now, List<LineReport> rejected, CancellationToken ct)
    {
        var concurrency = database.Provider == DatabaseProvider.Postgres ? 4 : 2;
        int matched = 0, suspended = 0, noOverlap = 0;
        var pending = new List<MatchEvidence>(MatchesPerCommit);
        var commits = new List<Task<int>>();
        var waiting = new Stopwatch();
        try
        {
            long previous1 = 0, previous2 = 0;
            var first = true;
            await foreach (var (line, hash1, hash2, verdict, evidence) in (staging is SqliteConnection sqlite ? Sorted(sqlite, ct).ToAsyncEnumerable() : SortedAsync(staging, ct))
                               .WithCancellation(ct))
            {
                if (!first && hash1 == previous1 && hash2 == previous2)
                {
                    rejected.Add(new LineReport(line, [Duplicate]));
                    continue;
                }
                (first, previous1, previous2) = (false, hash1, hash2);
                switch (verdict)
                {
                    case Verdict.NoOverlap:
                        noOverlap++;
                        break;
                    case Verdict.Stranger:
                        rejected.Add(new LineReport(line, [NotRecipient]));
                        break;
                    default:
                        pending.Add(evidence!);
                        if (pending.Count < MatchesPerCommit) break;
                        matched += pending.Count;
                        if (commits.Count == concurrency) suspended += await OldestAsync();
                        commits.Add(StoreAsync(runId, pending, now, ct));
                        pending = new List<MatchEvidence>(MatchesPerCommit);
                        break;
                }
            }
            matched += pending.Count;
            commits.Add(StoreAsync(runId, pending, now, ct));
            waiting.Start();
            suspended += (await Task.WhenAll(commits)).Sum();
            waiting.Stop();
            return (matched, suspended, noOverlap, waiting.Elapsed);
        }
        catch when (commits.Count > 0)
        {
            // Commits already started finish or fail on their own connections before the failure is reported; what
            // committed stays committed (the run stays 'importing').
            await Task.WhenAll(commits).ContinueWith(_ => { }, TaskScheduler.Default);
            throw;
        }

        async Task<int> OldestAsync()
        {
            waiting.Start();
            var oldest = commits[0];
            commits.RemoveAt(0);
            var stored = await oldest;
            waiting.Stop();
            return stored;
        }
    }

    /// <summary>The staged lines by duplicate hash and line, each with its verdict and, for a match, its evidence.</summary>
    private const string SortedSql =
        "SELECT line, h1, h2, verdict, person_key, name, province, kind, since, until FROM cross_check_staging ORDER BY h1, h2, line";

    /// <summary>PostgreSQL: <see cref="SortedSql"/> through the session's reader.</summary>
    private static async IAsyncEnumerable<(int Line, long Hash1, long Hash2, Verdict Verdict, MatchEvidence? Evidence)> SortedAsync(DbConnection c,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var reader = await c.ExecuteReaderAsync(new CommandDefinition(SortedSql, commandTimeout: 0, cancellationToken: ct));
        while (await reader.ReadAsync(ct))
        {
            var verdict = (Verdict)reader.GetInt32(3);
            yield return ((int)reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), verdict, verdict == Verdict.Match
                ? new MatchEvidence(reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetString(7), reader.GetString(8),
                    reader.IsDBNull(9) ? null : reader.GetString(9))
                : null);
        }
    }

    /// <summary>
    /// SQLite: <see cref="SortedSql"/> stepped through SQLite's C interface (reading five million rows through the ADO.NET
    /// reader took longer than sorting them).
    /// </summary>
    private static IEnumerable<(int Line, long Hash1, long Hash2, Verdict Verdict, MatchEvidence? Evidence)> Sorted(SqliteConnection c, CancellationToken ct)
    {
        var db = c.Handle!;
        var rc = raw.sqlite3_prepare_v2(db, SortedSql, out var select);
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, db);
        using (select)
        {
            while ((rc = raw.sqlite3_step(select)) == raw.SQLITE_ROW)
            {
                ct.ThrowIfCancellationRequested();
                var verdict = (Verdict)raw.sqlite3_column_int(select, 3);
                yield return ((int)raw.sqlite3_column_int64(select, 0), raw.sqlite3_column_int64(select, 1), raw.sqlite3_column_int64(select, 2), verdict,
                    verdict == Verdict.Match
                        ? new MatchEvidence(Text(4)!, Text(5)!, Text(6)!, Text(7)!, Text(8)!, Text(9))
                        : null);
            }
            if (rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, db);
        }

        string? Text(int column) => raw.sqlite3_column_type(select, column) == raw.SQLITE_NULL ? null : raw.sqlite3_column_text(select, column).utf8_to_string();
    }

    /// <summary>
    /// One commit: the matches not stored before (the unique application + province + kind + since), each suspending its
    /// claim, and the run's counts added to. Each is stored against the person's recipient claim as it is now, with the
    /// months both cover, and only while the claim still covers a month of the line (<see cref="CrossCheckRules.Overlap"/>
    /// as SQL for a claim not stopped, months compared as 'YYYY-MM' text): a claim stopped since the recipients were read is
    /// not suspended. The name the line gives is kept (encrypted) with whether it differs from the recipient's — evidence,
    /// not a reason to refuse the line. Returns how many were new.
    /// </summary>
    private Task<int> StoreAsync(string runId, IReadOnlyList<MatchEvidence> pending, DateTimeOffset now, CancellationToken ct) =>
        database.InTransactionAsync(async (c, t) =>
        {
            var (deadlineAt, contestUntil) = matches.Windows(now);
            var keys = pending.Select(m => m.PersonKey).Distinct().ToArray();
            var names = (await c.QueryAsync<(string PersonKey, string NameEnc)>(
                    $"SELECT person_key, name_enc FROM applications WHERE {database.In("person_key", "keys")} AND status IN ('approved', 'suspended')",
                    new { keys }, t))
                .GroupBy(r => r.PersonKey).ToDictionary(g => g.Key, g => g.Select(r => Comparable(protector.Decrypt(r.NameEnc))).ToHashSet());
            var stored = new List<string>(pending.Count);
            foreach (var m in pending)
            {
                var id = await c.ExecuteScalarAsync<string?>(
                    """
                    INSERT INTO cross_check_matches (id, application_id, insuring_city, run_id, source, province, kind, since, until,
                                                     overlap_from, overlap_to, status, created_at, deadline_at, contest_until,
                                                     reported_name_enc, name_differs)
                    SELECT @id, a.id, a.insuring_city, @runId, 'national', @province, @kind, @since, @until,
                           CASE WHEN a.start_month > @sinceMonth THEN a.start_month ELSE @sinceMonth END,
                           CASE WHEN @untilMonth IS NOT NULL AND @untilMonth < a.end_month THEN @untilMonth ELSE a.end_month END,
                           'open', @at, @deadlineAt, @contestUntil, @reportedNameEnc, @nameDiffers
                    FROM applications a
                    WHERE a.person_key = @personKey AND a.status IN ('approved', 'suspended') AND a.service_item = 'unemployment-benefit'
                      AND a.entitlement_months IS NOT NULL AND @sinceMonth <= a.end_month AND (@untilMonth IS NULL OR @untilMonth >= a.start_month)
                    ON CONFLICT (application_id, province, kind, since) DO NOTHING
                    RETURNING id
                    """,
                    new
                    {
                        id = Guid.NewGuid().ToString(), runId, personKey = m.PersonKey, province = m.Province, kind = m.Kind, since = m.Since,
                        until = m.Until, sinceMonth = m.Since[..7], untilMonth = m.Until?[..7], at = now.ToUnixTimeMilliseconds(), deadlineAt,
                        contestUntil, reportedNameEnc = m.Name.Length == 0 ? null : protector.Encrypt(m.Name),
                        nameDiffers = m.Name.Length > 0 && names.TryGetValue(m.PersonKey, out var recipient) && !recipient.Contains(Comparable(m.Name)) ? 1 : 0,
                    }, t);
                if (id is not null) stored.Add(id);
            }
            var suspended = await matches.SuspendNewAsync(c, t, stored, now);
            await c.ExecuteAsync("UPDATE cross_check_runs SET matched = matched + @matched, suspended = suspended + @suspended WHERE id = @runId",
                new { runId, matched = pending.Count, suspended }, t);
            return suspended;
        }, ct);

    /// <summary>
    /// A CSV record's fields as read; or a record refused whole, with <paramref name="Refused"/> when it has more or fewer
    /// fields than the header, or with <paramref name="Malformed"/>, the reason the file cannot be read further.
    /// </summary>
    private sealed record Record(int Line, string IdNumber, string Name, string Province, string Kind, string Since, string Until,
        string? Malformed = null, LineReport? Refused = null);

    /// <summary>
    /// The file's records, in order. A record with more or fewer fields than the header is refused alone (a stray comma in
    /// one line shifts only that line's fields); a broken record ends the file there, reported as the last one.
    /// </summary>
    private static async IAsyncEnumerable<Record> RecordsAsync(CsvReader csv, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var hasUntil = csv.TryGetFieldIndex("until", out var untilIndex);
        csv.TryGetFieldIndex("idNumber", out var idIndex);
        csv.TryGetFieldIndex("province", out var provinceIndex);
        csv.TryGetFieldIndex("kind", out var kindIndex);
        csv.TryGetFieldIndex("since", out var sinceIndex);
        csv.TryGetFieldIndex("name", out var nameIndex);
        var headerFields = csv.Headers.Count;
        while (true)
        {
            string? malformed = null;
            try
            {
                if (!await csv.ReadAsync(ct)) yield break;
            }
            catch (CsvFormatException e)
            {
                malformed = $"malformed CSV: {e.Message}";
            }
            if (malformed is not null)
            {
                yield return new Record((int)csv.LineNumber, "", "", "", "", "", "", malformed);
                yield break;
            }
            var line = (int)csv.LineNumber;
            if (csv.FieldCount != headerFields)
            {
                yield return new Record(line, "", "", "", "", "", "", Refused: LineReport.FieldCount(line, csv.FieldCount, headerFields));
                continue;
            }
            yield return new Record(line, csv.GetString(idIndex), csv.GetString(nameIndex), csv.GetString(provinceIndex), csv.GetString(kindIndex),
                csv.GetString(sinceIndex), hasUntil ? csv.GetString(untilIndex) : "");
        }
    }

    /// <summary>
    /// Runs <paramref name="source"/> on a task of its own, a thousand items ahead at most, and hands them over in order.
    /// A consumer that stops early stops the source before it returns.
    /// </summary>
    private static async IAsyncEnumerable<T> AheadAsync<T>(IAsyncEnumerable<T> source, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        const int batchSize = 256;
        var channel = Channel.CreateBounded<List<T>>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var producer = Task.Run(async () =>
        {
            try
            {
                var batch = new List<T>(batchSize);
                await foreach (var item in source.WithCancellation(stop.Token))
                {
                    batch.Add(item);
                    if (batch.Count < batchSize) continue;
                    await channel.Writer.WriteAsync(batch, stop.Token);
                    batch = new List<T>(batchSize);
                }
                if (batch.Count > 0) await channel.Writer.WriteAsync(batch, stop.Token);
                channel.Writer.Complete();
            }
            catch (Exception e)
            {
                channel.Writer.Complete(e);
            }
        }, CancellationToken.None);
        try
        {
            await foreach (var batch in channel.Reader.ReadAllAsync(ct))
                foreach (var item in batch)
                    yield return item;
        }
        finally
        {
            await stop.CancelAsync();
            await producer;
        }
    }

    /// <summary>
    /// Each record with how many have been read so far: checked, and either a line to stage — judged against the person's
    /// recipient claim by its blind index — or null, its reasons added to <paramref name="rejected"/> (this stage alone
    /// writes it while the file is read).
    /// </summary>
    private static async IAsyncEnumerable<(int Read, StagedLine? Line)> JudgeAsync(IAsyncEnumerable<Record> records, PersonKeyHasher hasher,
        Dictionary<Int128, (YearMonth Start, YearMonth End)> recipients, DateOnly today, List<LineReport> rejected,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var person = new byte[32];
        var duplicateKey = new byte[32 + 3 * 50 + 1 + 3 * 20 + 1 + 10];
        var digest = new byte[32];
        var read = 0;
        await foreach (var record in records.WithCancellation(ct))
        {
            if (record.Malformed is not null)
            {
                rejected.Add(new LineReport(record.Line, [record.Malformed]));
                yield break;
            }
            read++;
            if (record.Refused is not null)
            {
                rejected.Add(record.Refused);
                yield return (read, null);
                continue;
            }
            var errors = new List<string>();
            if (IdentityNumber.Validate(record.IdNumber, today, out var document) is { } idError) errors.Add($"idNumber: {idError}");
            var province = ProvinceNames.Canonical(record.Province);
            if (province is null) errors.Add("province: not a province-level division of China (广东省 or 广东)");
            var kind = record.Kind;
            if (!CrossCheckKinds.Descriptions.ContainsKey(kind))
                errors.Add($"kind: one of {string.Join(", ", CrossCheckKinds.Descriptions.Keys)}");
            var sinceText = record.Since;
            var since = Date(sinceText);
            if (since is null) errors.Add("since: a date, YYYY-MM-DD");
            else if (since > today) errors.Add("since: in the future");
            var untilText = record.Until;
            var until = untilText.Length == 0 ? null : Date(untilText);
            if (untilText.Length > 0 && until is null) errors.Add("until: a date, YYYY-MM-DD, or empty while it goes on");
            else if (until is not null && since is not null && until < since) errors.Add("until: before since");
            var line = record.Line;
            if (errors.Count > 0)
            {
                rejected.Add(new LineReport(line, errors));
                yield return (read, null);
                continue;
            }
            hasher.PersonKey(document!.Number, person);
            var verdict = !recipients.TryGetValue(BinaryPrimitives.ReadInt128LittleEndian(person), out var paid) ? Verdict.Stranger
                : YearMonth.Of(since!.Value).CompareTo(paid.End) <= 0 && (until is not { } u || YearMonth.Of(u).CompareTo(paid.Start) >= 0) ? Verdict.Match
                : Verdict.NoOverlap;
            // Duplicates: the same person, province, kind and since (the date, validated, is its YYYY-MM-DD text).
            person.CopyTo(duplicateKey, 0);
            var length = 32;
            length += Encoding.UTF8.GetBytes(province!, 0, province!.Length, duplicateKey, length);
            duplicateKey[length++] = 0x1f;
            length += Encoding.UTF8.GetBytes(kind, 0, kind.Length, duplicateKey, length);
            duplicateKey[length++] = 0x1f;
            length += Encoding.UTF8.GetBytes(sinceText, 0, sinceText.Length, duplicateKey, length);
            SHA256.HashData(duplicateKey.AsSpan(0, length), digest);
            yield return (read, new StagedLine(line, BinaryPrimitives.ReadInt64LittleEndian(digest), BinaryPrimitives.ReadInt64LittleEndian(digest.AsSpan(8)),
                verdict, verdict == Verdict.Match ? new MatchEvidence(PersonKeyHasher.Encode(person), record.Name, province, kind, sinceText, until is null ? null : untilText)
                    : null));
        }
    }

    /// <summary>A name as compared: compatibility forms folded (NFKC), spaces anywhere dropped.</summary>
    private static string Comparable(string name) =>
        string.Concat(name.Normalize(NormalizationForm.FormKC).Where(ch => !char.IsWhiteSpace(ch)));

    /// <summary>
    /// A YYYY-MM-DD date that exists, or null. Read digit by digit: the culture-aware parser compared the separators
    /// through the culture's collation and took a fifth of the reading time of a comparison file.
    /// </summary>
    private static DateOnly? Date(string text)
    {
        if (text.Length != 10 || text[4] != '-' || text[7] != '-') return null;
        if (!Number(text.AsSpan(0, 4), out var year) || !Number(text.AsSpan(5, 2), out var month) || !Number(text.AsSpan(8, 2), out var day)) return null;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return null;
        return new DateOnly(year, month, day);

        static bool Number(ReadOnlySpan<char> digits, out int value)
        {
            value = 0;
            foreach (var c in digits)
            {
                if (!char.IsAsciiDigit(c)) return false;
                value = value * 10 + (c - '0');
            }
            return true;
        }
    }
}
