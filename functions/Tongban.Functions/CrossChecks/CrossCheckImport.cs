using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using CsvHelper;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using Tongban.Domain.Claims;
using Tongban.Domain.CrossChecks;
using Tongban.Domain.Identifiers;
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
/// goes on. Streamed in two passes, memory bounded whatever the file's length (only rejected lines are kept):
/// <list type="number">
/// <item>Each line is checked and staged with its identity number's blind index (never the number) in a temporary table
/// of the importing connection — private to it, gone with it, and on SQLite no hold on the single writer (SQLite a
/// prepared insert, PostgreSQL binary COPY).</item>
/// <item>One query reads the staged lines in blind-index order, numbering repeats of a line (the duplicates) and joining
/// each to the person's recipient claim — probes in key order through an index of recipient claims only, no per-row
/// decryption — and returns the lines that are duplicates, strangers or matches, judged by months, not status
/// (<see cref="CrossCheckRules.Overlap"/>). Each match is stored and suspends its claim (<see cref="CrossCheckMatches"/>),
/// <see cref="MatchesPerCommit"/> to a commit, while the query reads on.</item>
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

    /// <summary>
    /// The staged lines in blind-index order, each with its rank among lines of the same identity number, province, kind
    /// and since (above 1: a duplicate), joined to the person's recipient claim (approved or suspended benefit; at most one
    /// is open), keeping duplicates, strangers and lines whose period shares a month with the entitlement —
    /// <see cref="CrossCheckRules.Overlap"/> as SQL for a claim not stopped, months compared as 'YYYY-MM' text — with the
    /// months both cover. SQLite is held to the covering index of recipient claims (its planner otherwise takes the
    /// person index and reads each claim's row); PostgreSQL chooses its join, and sorts by bytes, not by the database's
    /// collation (a third of the sort's time; duplicates are the same bytes either way).
    /// </summary>
    private static string ClassifySql(DatabaseProvider provider)
    {
        return $"""
        SELECT l.line, l.n, a.id AS application_id, a.insuring_city, l.province, l.kind, l.since, l.until,
               CASE WHEN a.start_month > substr(l.since, 1, 7) THEN a.start_month ELSE substr(l.since, 1, 7) END AS overlap_from,
               CASE WHEN l.until IS NOT NULL AND substr(l.until, 1, 7) < a.end_month THEN substr(l.until, 1, 7) ELSE a.end_month END AS overlap_to
        FROM (SELECT line, person_key, province, kind, since, until,
                     row_number() OVER (PARTITION BY {Binary("person_key")}, {Binary("province")}, {Binary("kind")}, {Binary("since")} ORDER BY line) AS n
              FROM cross_check_staging) l
        LEFT JOIN applications a {(provider == DatabaseProvider.Sqlite ? "INDEXED BY ix_applications_recipients " : "")}ON a.person_key = l.person_key AND a.status IN ('approved', 'suspended')
            AND a.service_item = 'unemployment-benefit' AND a.entitlement_months IS NOT NULL
        WHERE l.n > 1 OR a.id IS NULL
           OR (substr(l.since, 1, 7) <= a.end_month AND (l.until IS NULL OR substr(l.until, 1, 7) >= a.start_month))
        """;

        string Binary(string column) => provider == DatabaseProvider.Postgres ? $"{column} COLLATE \"C\"" : column;
    }

    /// <exception cref="InvalidCsvException">The header cannot be read or lacks a column: nothing is imported.</exception>
    public async Task<CrossCheckImportResult> ImportCsvAsync(Stream stream, string actor, CancellationToken ct)
    {
        await using var csv = CsvReader.Create(stream, new CsvReaderOptions { TrackLineNumbers = true, TrimWhitespace = true }, leaveOpen: true);
        try
        {
            await csv.ReadHeaderAsync(ct);
        }
        catch (CsvFormatException e)
        {
            throw new InvalidCsvException($"The header cannot be read: {e.Message}");
        }
        var missing = Header.Where(h => !csv.Headers.Contains(h)).ToList();
        if (missing.Count > 0) throw new InvalidCsvException($"The first line must be the header; it lacks: {string.Join(", ", missing)}.");

        var runId = Guid.NewGuid().ToString();
        var now = clock.GetUtcNow();
        var watch = Stopwatch.StartNew();
        // Committed before any line is read: a process that dies from here on leaves a run recognisably incomplete.
        await database.InTransactionAsync((c, t) => CrossCheckMatches.CreateRunAsync(c, t, runId, CrossCheckSources.National, actor, now, completed: false), ct);

        var rejected = new List<LineReport>();
        await using var staging = await OpenStagingAsync(ct);
        try
        {
            Counts read;
            using (var hasher = protector.CreatePersonKeyHasher())
            {
                var lines = ReadAsync(csv, hasher, Deadlines.LocalDate(now), rejected, ct);
                read = staging is NpgsqlConnection npgsql ? await CopyAsync(npgsql, lines, ct) : await InsertAsync((SqliteConnection)staging, lines, ct);
            }
            var stagedIn = watch.Elapsed;
            await database.InTransactionAsync((c, t) => c.ExecuteAsync("UPDATE cross_check_runs SET lines = @lines WHERE id = @runId",
                new { runId, lines = read.Lines }, t), ct);

            var (matched, suspended, skipped, waiting) = await MatchAsync(staging, runId, now, rejected, ct);
            var noOverlap = read.Staged - matched - skipped;
            await database.InTransactionAsync((c, t) => c.ExecuteAsync(
                """
                UPDATE cross_check_runs SET status = @completed, completed_at = @at, lines = @lines, matched = @matched, suspended = @suspended,
                    no_overlap = @noOverlap, rejected = @rejected
                WHERE id = @runId
                """,
                new
                {
                    runId, completed = RunStatus.Completed, at = clock.GetUtcNow().ToUnixTimeMilliseconds(), lines = read.Lines, matched, suspended,
                    noOverlap, rejected = rejected.Count,
                }, t), ct);
            log.LogInformation(
                "Cross-check run {RunId}: {Lines} lines read and staged in {StagedSeconds:F1} s, matched in {MatchedSeconds:F1} s (of which {WaitingSeconds:F1} s waiting for commits): {Matched} matched, {Suspended} suspended, {Rejected} rejected",
                runId, read.Lines, stagedIn.TotalSeconds, (watch.Elapsed - stagedIn).TotalSeconds, waiting.TotalSeconds, matched, suspended, rejected.Count);
            return new CrossCheckImportResult(runId, read.Lines, matched, suspended, matched - suspended, noOverlap,
                rejected.OrderBy(r => r.Line).ToList());
        }
        finally
        {
            // A pooled session outlives the import: its temporary table and memory setting must not.
            if (staging is NpgsqlConnection) await staging.ExecuteAsync("DROP TABLE IF EXISTS cross_check_staging; RESET work_mem");
        }
    }

    /// <summary>
    /// The connection that stages and reads the lines. SQLite: a connection of its own, outside the pool, so that its
    /// temporary table and caches end with it — 64 MB of page cache for the store (the recipients' index, probed in key
    /// order) and 32 MB for the temporary database, and the sorter may use a second thread. PostgreSQL: a pooled session
    /// (reset when returned).
    /// </summary>
    private async Task<DbConnection> OpenStagingAsync(CancellationToken ct)
    {
        if (database.Provider == DatabaseProvider.Postgres) return await database.OpenAsync(ct);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ToString());
        await connection.OpenAsync(ct);
        await connection.ExecuteAsync("PRAGMA cache_size = -65536; PRAGMA temp.cache_size = -32768; PRAGMA threads = 2");
        return connection;
    }

    private sealed record StagedLine(int Line, string PersonKey, string Province, string Kind, string Since, string? Until);

    /// <summary>Lines read (all, including bad ones) and lines staged.</summary>
    private readonly record struct Counts(int Lines, int Staged);

    /// <summary>A line the classifying query returned as a match: the claim and the months both cover.</summary>
    private sealed record PendingMatch(string ApplicationId, string InsuringCity, string Province, string Kind, string Since, string? Until,
        string OverlapFrom, string OverlapTo);

    /// <summary>
    /// SQLite: a temporary table of this connection, filled by one prepared insert with reused parameters, in deferred
    /// transactions of <see cref="LinesPerStagingCommit"/> lines that write only the temporary database (no lock on the
    /// store, so other writers go on).
    /// </summary>
    private static async Task<Counts> InsertAsync(SqliteConnection c, IAsyncEnumerable<(int Read, StagedLine? Line)> lines, CancellationToken ct)
    {
        await c.ExecuteAsync(
            """
            DROP TABLE IF EXISTS temp.cross_check_staging;
            CREATE TEMP TABLE cross_check_staging (line INTEGER NOT NULL, person_key TEXT NOT NULL, province TEXT NOT NULL, kind TEXT NOT NULL,
                                                   since TEXT NOT NULL, until TEXT);
            """);
        await using var insert = c.CreateCommand();
        insert.CommandText = "INSERT INTO temp.cross_check_staging VALUES ($line, $key, $province, $kind, $since, $until)";
        var parameters = new[] { "$line", "$key", "$province", "$kind", "$since", "$until" }.Select(name => insert.Parameters.Add(name, SqliteType.Text)).ToArray();
        parameters[0].SqliteType = SqliteType.Integer;
        int read = 0, staged = 0;
        var transaction = c.BeginTransaction(deferred: true);
        try
        {
            insert.Transaction = transaction;
            insert.Prepare();
            await foreach (var (count, line) in lines.WithCancellation(ct))
            {
                read = count;
                if (line is null) continue;
                parameters[0].Value = line.Line;
                parameters[1].Value = line.PersonKey;
                parameters[2].Value = line.Province;
                parameters[3].Value = line.Kind;
                parameters[4].Value = line.Since;
                parameters[5].Value = (object?)line.Until ?? DBNull.Value;
                insert.ExecuteNonQuery();
                if (++staged % LinesPerStagingCommit != 0) continue;
                transaction.Commit();
                transaction.Dispose();
                transaction = c.BeginTransaction(deferred: true);
                insert.Transaction = transaction;
            }
            transaction.Commit();
        }
        finally
        {
            transaction.Dispose();
        }
        return new Counts(read, staged);
    }

    /// <summary>PostgreSQL: binary COPY into a temporary table of this session (no WAL), then statistics for the planner.</summary>
    private static async Task<Counts> CopyAsync(NpgsqlConnection c, IAsyncEnumerable<(int Read, StagedLine? Line)> lines, CancellationToken ct)
    {
        await c.ExecuteAsync(
            """
            DROP TABLE IF EXISTS cross_check_staging;
            CREATE TEMP TABLE cross_check_staging (line BIGINT NOT NULL, person_key TEXT NOT NULL, province TEXT NOT NULL, kind TEXT NOT NULL,
                                                   since TEXT NOT NULL, until TEXT);
            """);
        int read = 0, copied = 0;
        await using (var copy = await c.BeginBinaryImportAsync(
                         "COPY cross_check_staging (line, person_key, province, kind, since, until) FROM STDIN (FORMAT BINARY)", ct))
        {
            await foreach (var (count, line) in lines.WithCancellation(ct))
            {
                read = count;
                if (line is null) continue;
                await copy.StartRowAsync(ct);
                await copy.WriteAsync((long)line.Line, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(line.PersonKey, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(line.Province, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(line.Kind, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(line.Since, NpgsqlDbType.Text, ct);
                if (line.Until is null) await copy.WriteNullAsync(ct);
                else await copy.WriteAsync(line.Until, NpgsqlDbType.Text, ct);
                copied++;
            }
            await copy.CompleteAsync(ct);
        }
        // The classifying query sorts every staged line once; in memory rather than in many temporary files.
        await c.ExecuteAsync("ANALYZE cross_check_staging; SET work_mem = '256MB'");
        return new Counts(read, copied);
    }

    /// <summary>
    /// Streams <see cref="ClassifySql"/> on the staging connection: duplicates and strangers are reported, matches stored
    /// and suspended <see cref="MatchesPerCommit"/> at a time in their own transactions (other connections), each commit
    /// also adding to the run's counts. Commits run while the query goes on reading — on PostgreSQL up to four at once (a
    /// suspension is a few round trips to the server, and waiting for them, not work, was nine tenths of a commit's time),
    /// on SQLite one committing and the next waiting for the writer. Returns the matched lines (new or matched before),
    /// the new matches, the lines rejected here, and how long reading waited for commits.
    /// </summary>
    private async Task<(int Matched, int Suspended, int Rejected, TimeSpan Waiting)> MatchAsync(DbConnection staging, string runId, DateTimeOffset now,
        List<LineReport> rejected, CancellationToken ct)
    {
        var concurrency = database.Provider == DatabaseProvider.Postgres ? 4 : 2;
        int matched = 0, suspended = 0, skipped = 0;
        var pending = new List<PendingMatch>(MatchesPerCommit);
        var commits = new List<Task<int>>();
        var waiting = new Stopwatch();
        try
        {
            await using (var reader = await staging.ExecuteReaderAsync(new CommandDefinition(ClassifySql(database.Provider), commandTimeout: 0,
                             cancellationToken: ct)))
            {
                while (await reader.ReadAsync(ct))
                {
                    var line = (int)reader.GetInt64(0);
                    if (reader.GetInt64(1) > 1)
                    {
                        rejected.Add(new LineReport(line, [Duplicate]));
                        skipped++;
                    }
                    else if (reader.IsDBNull(2))
                    {
                        rejected.Add(new LineReport(line, [NotRecipient]));
                        skipped++;
                    }
                    else
                    {
                        pending.Add(new PendingMatch(reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                            reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetString(8), reader.GetString(9)));
                        if (pending.Count < MatchesPerCommit) continue;
                        matched += pending.Count;
                        if (commits.Count == concurrency) suspended += await OldestAsync();
                        commits.Add(StoreAsync(runId, pending, now, ct));
                        pending = new List<PendingMatch>(MatchesPerCommit);
                    }
                }
            }
            matched += pending.Count;
            commits.Add(StoreAsync(runId, pending, now, ct));
            waiting.Start();
            suspended += (await Task.WhenAll(commits)).Sum();
            waiting.Stop();
            return (matched, suspended, skipped, waiting.Elapsed);
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

    /// <summary>
    /// One commit: the matches not stored before (the unique application + province + kind + since), each suspending its
    /// claim, and the run's counts added to. Returns how many were new.
    /// </summary>
    private Task<int> StoreAsync(string runId, IReadOnlyList<PendingMatch> pending, DateTimeOffset now, CancellationToken ct) =>
        database.InTransactionAsync(async (c, t) =>
        {
            var (deadlineAt, contestUntil) = matches.Windows(now);
            var stored = new List<string>(pending.Count);
            foreach (var m in pending)
            {
                var id = await c.ExecuteScalarAsync<string?>(
                    """
                    INSERT INTO cross_check_matches (id, application_id, insuring_city, run_id, source, province, kind, since, until,
                                                     overlap_from, overlap_to, status, created_at, deadline_at, contest_until)
                    VALUES (@id, @applicationId, @city, @runId, 'national', @province, @kind, @since, @until, @from, @to, 'open', @at,
                            @deadlineAt, @contestUntil)
                    ON CONFLICT (application_id, province, kind, since) DO NOTHING
                    RETURNING id
                    """,
                    new
                    {
                        id = Guid.NewGuid().ToString(), applicationId = m.ApplicationId, city = m.InsuringCity, runId, province = m.Province, kind = m.Kind,
                        since = m.Since, until = m.Until, from = m.OverlapFrom, to = m.OverlapTo, at = now.ToUnixTimeMilliseconds(), deadlineAt,
                        contestUntil,
                    }, t);
                if (id is not null) stored.Add(id);
            }
            var suspended = await matches.SuspendNewAsync(c, t, stored, now);
            await c.ExecuteAsync("UPDATE cross_check_runs SET matched = matched + @matched, suspended = suspended + @suspended WHERE id = @runId",
                new { runId, matched = pending.Count, suspended }, t);
            return suspended;
        }, ct);

    /// <summary>
    /// Each line with how many have been read so far: checked, and either a line to stage (its identity number turned into
    /// the blind index) or null, its reasons added to <paramref name="rejected"/>. A broken record ends the file there.
    /// </summary>
    private static async IAsyncEnumerable<(int Read, StagedLine? Line)> ReadAsync(CsvReader csv, PersonKeyHasher hasher, DateOnly today,
        List<LineReport> rejected, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var hasUntil = csv.TryGetFieldIndex("until", out var untilIndex);
        csv.TryGetFieldIndex("idNumber", out var idIndex);
        csv.TryGetFieldIndex("province", out var provinceIndex);
        csv.TryGetFieldIndex("kind", out var kindIndex);
        csv.TryGetFieldIndex("since", out var sinceIndex);
        var read = 0;
        while (true)
        {
            try
            {
                if (!await csv.ReadAsync(ct)) yield break;
            }
            catch (CsvFormatException e)
            {
                rejected.Add(new LineReport((int)csv.LineNumber, [$"malformed CSV: {e.Message}"]));
                yield break;
            }
            read++;
            string F(int i) => i < csv.FieldCount ? csv.GetString(i) : "";
            var errors = new List<string>();
            if (IdentityNumber.Validate(F(idIndex), today, out var document) is { } idError) errors.Add($"idNumber: {idError}");
            var province = F(provinceIndex);
            if (province.Length is 0 or > 50) errors.Add("province: required, at most 50 characters");
            var kind = F(kindIndex);
            if (!CrossCheckKinds.Descriptions.ContainsKey(kind))
                errors.Add($"kind: one of {string.Join(", ", CrossCheckKinds.Descriptions.Keys)}");
            var since = Date(F(sinceIndex));
            if (since is null) errors.Add("since: a date, YYYY-MM-DD");
            else if (since > today) errors.Add("since: in the future");
            var untilText = hasUntil ? F(untilIndex) : "";
            var until = untilText.Length == 0 ? null : Date(untilText);
            if (untilText.Length > 0 && until is null) errors.Add("until: a date, YYYY-MM-DD, or empty while it goes on");
            else if (until is not null && since is not null && until < since) errors.Add("until: before since");
            var line = (int)csv.LineNumber;
            if (errors.Count > 0)
            {
                rejected.Add(new LineReport(line, errors));
                yield return (read, null);
                continue;
            }
            yield return (read, new StagedLine(line, hasher.PersonKey(document!.Number), province, kind, Iso(since!.Value),
                until is { } u ? Iso(u) : null));
        }
    }

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

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
