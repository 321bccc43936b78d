using System.Data.Common;
using System.Globalization;
using CsvHelper;
using Dapper;
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
/// goes on. One transaction, streamed: each line is checked and staged with its identity number's blind index (never the
/// number; SQLite a prepared insert, PostgreSQL binary COPY), then matched set-based against the recipients by that index
/// — no per-row decryption — by months, not status (<see cref="CrossCheckRules.Overlap"/>), and each new match suspends its
/// claim (<see cref="CrossCheckMatches"/>). Memory does not grow with the file: only rejected lines are kept.
/// </summary>
public sealed class CrossCheckImport(Database database, PersonalDataProtector protector, CrossCheckMatches matches, TimeProvider clock)
{
    public static readonly string[] Header = ["idNumber", "name", "province", "kind", "since"];

    private const string NotRecipient = "idNumber: not a current benefit recipient (no approved or suspended claim) / 非在领失业保险金人员";
    private const string Duplicate = "duplicate: the same idNumber, province, kind and since as an earlier line / 重复行";

    /// <summary>Recipient claims (approved or suspended benefit) joined to the staged lines by the blind index.</summary>
    private const string RecipientJoin =
        """
        applications a ON a.person_key = l.person_key AND a.status IN ('approved', 'suspended')
            AND a.service_item = 'unemployment-benefit' AND a.entitlement_months IS NOT NULL
        """;

    /// <summary>
    /// The line's period shares a month with the entitlement: <see cref="CrossCheckRules.Overlap"/> as SQL for a claim not
    /// stopped (recipients are approved or suspended), months compared as 'YYYY-MM' text.
    /// </summary>
    private const string OverlapSql = "substr(l.since, 1, 7) <= a.end_month AND (l.until IS NULL OR substr(l.until, 1, 7) >= a.start_month)";

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
        var rejected = new List<LineReport>();
        var lines = ReadAsync(csv, Deadlines.LocalDate(now), rejected, ct);
        return await database.InTransactionAsync(async (c, t) =>
        {
            await CrossCheckMatches.CreateRunAsync(c, t, runId, CrossCheckSources.National, actor, now);
            var read = database.Provider == DatabaseProvider.Postgres
                ? await CopyAsync((NpgsqlConnection)c, t, runId, lines, rejected, ct)
                : await InsertAsync(c, t, runId, lines, rejected, ct);

            int matched = 0, notRecipients = 0;
            await using (var reader = await c.ExecuteReaderAsync(
                             $"""
                              SELECT l.line, CASE WHEN a.id IS NULL THEN 0 ELSE 1 END AS recipient FROM cross_check_lines l LEFT JOIN {RecipientJoin}
                              WHERE l.run_id = @runId AND (a.id IS NULL OR ({OverlapSql}))
                              """, new { runId }, t))
            {
                while (await reader.ReadAsync(ct))
                {
                    if (reader.GetInt64(1) == 1) matched++;
                    else
                    {
                        notRecipients++;
                        rejected.Add(new LineReport((int)reader.GetInt64(0), [NotRecipient]));
                    }
                }
            }
            var (deadlineAt, contestUntil) = matches.Windows(now);
            await c.ExecuteAsync(
                $"""
                 INSERT INTO cross_check_matches (id, application_id, insuring_city, run_id, source, province, kind, since, until,
                                                  overlap_from, overlap_to, status, created_at, deadline_at, contest_until)
                 SELECT {matches.NewIdSql}, a.id, a.insuring_city, @runId, 'national', l.province, l.kind, l.since, l.until,
                        CASE WHEN a.start_month > substr(l.since, 1, 7) THEN a.start_month ELSE substr(l.since, 1, 7) END,
                        CASE WHEN l.until IS NOT NULL AND substr(l.until, 1, 7) < a.end_month THEN substr(l.until, 1, 7) ELSE a.end_month END,
                        'open', @at, @deadlineAt, @contestUntil
                 FROM cross_check_lines l JOIN {RecipientJoin}
                 WHERE l.run_id = @runId AND {OverlapSql}
                 ON CONFLICT (application_id, province, kind, since) DO NOTHING
                 """, new { runId, at = now.ToUnixTimeMilliseconds(), deadlineAt, contestUntil }, t, commandTimeout: 0);
            var suspended = await matches.SuspendNewAsync(c, t, runId, now);
            await c.ExecuteAsync("DELETE FROM cross_check_lines WHERE run_id = @runId", new { runId }, t, commandTimeout: 0);
            var noOverlap = read.Staged - matched - notRecipients;
            await c.ExecuteAsync(
                """
                UPDATE cross_check_runs SET lines = @lines, matched = @matched, suspended = @suspended, no_overlap = @noOverlap, rejected = @rejected
                WHERE id = @runId
                """, new { runId, lines = read.Lines, matched, suspended, noOverlap, rejected = rejected.Count }, t);
            return new CrossCheckImportResult(runId, read.Lines, matched, suspended, matched - suspended, noOverlap,
                rejected.OrderBy(r => r.Line).ToList());
        }, ct);
    }

    private sealed record StagedLine(int Line, string PersonKey, string Province, string Kind, string Since, string? Until);

    /// <summary>Lines read (all, including bad ones) and lines staged.</summary>
    private readonly record struct Counts(int Lines, int Staged);

    /// <summary>SQLite: one prepared insert per line in the import's transaction, appended; duplicates found after.</summary>
    private static async Task<Counts> InsertAsync(DbConnection c, DbTransaction t, string runId, IAsyncEnumerable<(int Read, StagedLine? Line)> lines,
        List<LineReport> rejected, CancellationToken ct)
    {
        await using var insert = c.CreateCommand();
        insert.Transaction = t;
        insert.CommandText =
            """
            INSERT INTO cross_check_lines (run_id, line, person_key, province, kind, since, until)
            VALUES ($run, $line, $key, $province, $kind, $since, $until)
            """;
        var parameters = new[] { "$run", "$line", "$key", "$province", "$kind", "$since", "$until" }.Select(name =>
        {
            var p = insert.CreateParameter();
            p.ParameterName = name;
            insert.Parameters.Add(p);
            return p;
        }).ToArray();
        parameters[0].Value = runId;
        insert.Prepare();
        int read = 0, staged = 0;
        await foreach (var (count, line) in lines.WithCancellation(ct))
        {
            read = count;
            if (line is null) continue;
            parameters[1].Value = line.Line;
            parameters[2].Value = line.PersonKey;
            parameters[3].Value = line.Province;
            parameters[4].Value = line.Kind;
            parameters[5].Value = line.Since;
            parameters[6].Value = (object?)line.Until ?? DBNull.Value;
            insert.ExecuteNonQuery();
            staged++;
        }
        return new Counts(read, staged - await RemoveDuplicatesAsync(c, t, runId, rejected));
    }

    /// <summary>PostgreSQL: binary COPY into the unlogged staging table, then duplicates found and removed set-based.</summary>
    private static async Task<Counts> CopyAsync(NpgsqlConnection c, DbTransaction t, string runId, IAsyncEnumerable<(int Read, StagedLine? Line)> lines,
        List<LineReport> rejected, CancellationToken ct)
    {
        int read = 0, copied = 0;
        await using (var copy = await c.BeginBinaryImportAsync(
                         "COPY cross_check_lines (run_id, line, person_key, province, kind, since, until) FROM STDIN (FORMAT BINARY)", ct))
        {
            await foreach (var (count, line) in lines.WithCancellation(ct))
            {
                read = count;
                if (line is null) continue;
                copy.StartRow();
                copy.Write(runId, NpgsqlDbType.Text);
                copy.Write((long)line.Line, NpgsqlDbType.Bigint);
                copy.Write(line.PersonKey, NpgsqlDbType.Text);
                copy.Write(line.Province, NpgsqlDbType.Text);
                copy.Write(line.Kind, NpgsqlDbType.Text);
                copy.Write(line.Since, NpgsqlDbType.Text);
                if (line.Until is null) copy.WriteNull();
                else copy.Write(line.Until, NpgsqlDbType.Text);
                copied++;
            }
            await copy.CompleteAsync(ct);
        }
        await c.ExecuteAsync("SET LOCAL work_mem = '64MB'", transaction: t);
        return new Counts(read, copied - await RemoveDuplicatesAsync(c, t, runId, rejected));
    }

    /// <summary>
    /// A line with the same identity number, province, kind and since as an earlier one is reported and removed from the
    /// staging rows, set-based (one sort of the run's lines); returns how many.
    /// </summary>
    private static async Task<int> RemoveDuplicatesAsync(DbConnection c, DbTransaction t, string runId, List<LineReport> rejected)
    {
        var duplicates = (await c.QueryAsync<long>(
            """
            DELETE FROM cross_check_lines WHERE run_id = @runId AND line IN (
                SELECT line FROM (SELECT line, row_number() OVER (PARTITION BY person_key, province, kind, since ORDER BY line) AS n
                                  FROM cross_check_lines WHERE run_id = @runId) d
                WHERE n > 1)
            RETURNING line
            """, new { runId }, t, commandTimeout: 0)).ToList();
        rejected.AddRange(duplicates.Select(line => new LineReport((int)line, [Duplicate])));
        return duplicates.Count;
    }

    /// <summary>
    /// Each line with how many have been read so far: checked, and either a line to stage (its identity number turned into
    /// the blind index) or null, its reasons added to <paramref name="rejected"/>. A broken record ends the file there.
    /// </summary>
    private async IAsyncEnumerable<(int Read, StagedLine? Line)> ReadAsync(CsvReader csv, DateOnly today, List<LineReport> rejected,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
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
            yield return (read, new StagedLine(line, protector.PersonKey(document!.Number), province, kind, Iso(since!.Value),
                until is { } u ? Iso(u) : null));
        }
    }

    private static DateOnly? Date(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
