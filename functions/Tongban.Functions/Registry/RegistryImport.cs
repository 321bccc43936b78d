using System.Data.Common;
using System.Globalization;
using CsvHelper;
using Dapper;
using Tongban.Domain.Claims;
using Tongban.Domain.Identifiers;
using Tongban.Domain.Registry;
using Tongban.Domain;
using Tongban.Hosting;
using Tongban.PersonalData;
using Tongban.Storage;
using Tongban.Verification;

namespace Tongban.Registry;

/// <summary>A line of an imported file, refused or flagged, with each reason (<c>column: message</c> where a column is at fault).</summary>
public sealed record LineReport(int Line, IReadOnlyList<string> Errors)
{
    /// <summary>
    /// <see cref="Errors"/> in the same order, each with a code a program can act on instead of reading the English:
    /// a column's value at fault, or what is wrong with the line as a whole (<see cref="LineProblem"/>).
    /// </summary>
    public IReadOnlyList<LineProblem> Problems { get; init; } = Errors.Select(LineProblem.Of).ToList();

    /// <summary>
    /// A line with more or fewer fields than the header: refused alone, since its fields cannot be told apart (a stray
    /// comma in one line shifts only that line).
    /// </summary>
    public static LineReport FieldCount(int line, int fields, int headerFields)
    {
        var message = $"{fields} fields, where the header has {headerFields}";
        return new(line, [message]) { Problems = [new(LineProblem.FieldCount, null, message)] };
    }

    /// <summary>A record CSV cannot read (an unclosed quote): the file is read no further.</summary>
    public static LineReport Malformed(int line, string reason) =>
        new(line, [$"malformed CSV: {reason}"]) { Problems = [new(LineProblem.MalformedCsv, null, reason)] };
}

/// <summary>
/// One reason a line was refused or flagged. <see cref="Code"/> is <c>column</c> when <see cref="Column"/>'s value is at
/// fault; otherwise the line is at fault as a whole: <c>duplicate</c> (it repeats an earlier line, which is kept),
/// <c>field-count</c> (more or fewer fields than the header), <c>malformed-csv</c> (it cannot be read as CSV; the lines
/// after it were not read) or <c>line</c> (anything else). <see cref="Message"/> is the reason without the column or kind.
/// </summary>
public sealed record LineProblem(string Code, string? Column, string Message)
{
    public const string InColumn = "column";
    public const string Duplicate = "duplicate";
    public const string FieldCount = "field-count";
    public const string MalformedCsv = "malformed-csv";
    public const string WholeLine = "line";

    /// <summary>
    /// A reason as the importers word it: <c>column: message</c>, <c>duplicate: message</c> or
    /// <c>malformed CSV: message</c>; any other wording is the line's as a whole.
    /// </summary>
    public static LineProblem Of(string error)
    {
        var colon = error.IndexOf(": ", StringComparison.Ordinal);
        if (colon <= 0) return new(WholeLine, null, error);
        var (prefix, message) = (error[..colon], error[(colon + 2)..]);
        if (prefix == "duplicate") return new(Duplicate, null, message);
        if (prefix == "malformed CSV") return new(MalformedCsv, null, message);
        return prefix.All(char.IsAsciiLetter) ? new(InColumn, prefix, message) : new(WholeLine, null, error);
    }
}

public sealed record ImportResult(int Imported, int Updated, IReadOnlyList<LineReport> Rejected, IReadOnlyList<LineReport> Flagged);

/// <summary>
/// Imports the core insurance system's contribution spells (contract: Registry import). Good lines land
/// even when others are bad; importing the same file again changes nothing (key: idNumber + employerCode + startMonth).
/// A new spell of a current recipient starting within the entitlement is an in-province match
/// (<see cref="CrossChecks.CrossCheckMatches.RaiseInProvinceAsync"/>), committed with the spell.
/// </summary>
public sealed class RegistryImport(Database database, PersonalDataProtector protector, CrossChecks.CrossCheckMatches matches, TimeProvider clock)
{
    private const int LinesPerTransaction = 2000;

    // Names "registry import" for PostgreSQL's advisory locks (Database.TakeTurnAsync); any constant would do.
    private const long ImportLockKey = 0x5245474953545259;

    /// <summary>
    /// Reads CSV with the contract's header. The header is the format: a column missing, unknown or named twice fails the
    /// whole file with <see cref="InvalidCsvException"/>, since its lines could not be read as the contract means them. A
    /// line with more or fewer fields than the header is refused alone (a stray comma in one line shifts only that line).
    /// The file must be UTF-8 (<see cref="CsvUploads"/>): bytes that are not stop the import with
    /// <see cref="InvalidCsvException"/> rather than land as garbled names.
    /// </summary>
    public async Task<ImportResult> ImportCsvAsync(Stream stream, CancellationToken ct)
    {
        await using var csv = await CsvUploads.OpenAsync(stream, ct);
        var missing = RegistryRow.Header.Where(h => !csv.Headers.Contains(h)).ToList();
        if (missing.Count > 0) throw new InvalidCsvException($"The first line must be the header; it lacks: {string.Join(", ", missing)}.");
        var unknown = csv.Headers.Where(h => !RegistryRow.Header.Contains(h)).Select(h => $"\"{h}\"").ToList();
        if (unknown.Count > 0)
            throw new InvalidCsvException($"The header has columns the contract does not: {string.Join(", ", unknown)}; the columns are {string.Join(",", RegistryRow.Header)}.");
        var repeated = csv.Headers.GroupBy(h => h).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (repeated.Count > 0) throw new InvalidCsvException($"The header names a column twice: {string.Join(", ", repeated)}.");
        var rejected = new List<LineReport>();
        var result = await ImportAsync(ReadRowsAsync(csv, rejected, ct), ct);
        return result with { Rejected = rejected.Concat(result.Rejected).OrderBy(r => r.Line).ToList() };

        static async IAsyncEnumerable<(int Line, RegistryRow Row)> ReadRowsAsync(CsvReader csv, List<LineReport> broken,
            [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
        {
            while (true)
            {
                try
                {
                    if (!await csv.ReadAsync(ct)) yield break;
                }
                catch (CsvFormatException e)
                {
                    // A broken record (an unclosed quote) ends what can be read safely: report it, keep what came before.
                    broken.Add(LineReport.Malformed((int)csv.LineNumber, e.Message));
                    yield break;
                }
                if (csv.FieldCount != csv.Headers.Count)
                {
                    broken.Add(LineReport.FieldCount((int)csv.LineNumber, csv.FieldCount, csv.Headers.Count));
                    continue;
                }
                string F(string name) => csv.TryGetFieldIndex(name, out var i) ? csv.GetString(i) : "";
                yield return ((int)csv.LineNumber, new RegistryRow(F("idNumber"), F("name"), F("mobile"), F("bankAccount"), F("cityCode"),
                    F("employerCode"), F("employerName"), F("startMonth"), F("endMonth"), F("separationReason")));
            }
        }
    }

    public async Task<ImportResult> ImportAsync(IAsyncEnumerable<(int Line, RegistryRow Row)> rows, CancellationToken ct)
    {
        var rejected = new List<LineReport>();
        var flagged = new List<LineReport>();
        int imported = 0, updated = 0;
        var today = Deadlines.LocalDate(clock.GetUtcNow());
        var file = new RegistryFile();
        await foreach (var chunk in rows.Chunk(LinesPerTransaction).WithCancellation(ct))
        {
            var valid = new List<(int Line, Spell Spell)>();
            foreach (var (line, row) in chunk)
            {
                var (spell, errors, warnings) = Validate(row, today);
                if (spell is not null)
                {
                    var admission = file.Admit(line, spell.IdNumber, spell.Name, spell.Mobile, spell.BankAccount, spell.EmployerCode,
                        YearMonth.Parse(spell.StartMonth));
                    errors.AddRange(admission.Errors);
                    warnings.AddRange(admission.Warnings);
                    if (admission.Errors.Count == 0) valid.Add((line, spell with { WritesPerson = admission.FirstLineOfPerson }));
                }
                if (errors.Count > 0) rejected.Add(new LineReport(line, errors));
                if (warnings.Count > 0) flagged.Add(new LineReport(line, warnings));
            }
            var (i, u) = await database.InTransactionAsync((c, t) => UpsertAsync(c, t, valid), ct);
            imported += i;
            updated += u;
        }
        return new ImportResult(imported, updated, rejected, flagged);
    }

    private async Task<(int Imported, int Updated)> UpsertAsync(DbConnection c, DbTransaction t, List<(int Line, Spell Spell)> spells)
    {
        // Each spell is looked up and then inserted or updated; two imports of the same people at once (two administrators,
        // two instances seeding) would both find it absent and the second insert fail. Chunks of imports take turns on
        // PostgreSQL (released at commit); SQLite's writer is one at a time already.
        await database.TakeTurnAsync(c, t, ImportLockKey);
        int imported = 0, updated = 0;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var spellsChanged = new HashSet<string>();
        var newSpells = new List<CrossChecks.CrossCheckMatches.NewSpell>();
        foreach (var (_, s) in spells)
        {
            var personKey = protector.PersonKey(s.IdNumber);
            var personChanged = false;
            // A person's first line in the file writes them; their later lines carry the same name (RegistryFile) and keep its contacts.
            if (s.WritesPerson)
            {
                var contactHash = protector.Fingerprint(s.Name, s.Mobile, s.BankAccount);
                var storedHash = await c.QuerySingleOrDefaultAsync<string>(
                    "SELECT contact_hash FROM persons WHERE person_key = @personKey", new { personKey }, t);
                if (storedHash != contactHash)
                {
                    personChanged = storedHash is not null;
                    await c.ExecuteAsync(
                        """
                        INSERT INTO persons (person_key, id_number_enc, name_enc, mobile_enc, bank_account_enc, contact_hash, updated_at)
                        VALUES (@personKey, @idNumber, @name, @mobile, @bankAccount, @contactHash, @now)
                        ON CONFLICT (person_key) DO UPDATE SET name_enc = excluded.name_enc, mobile_enc = excluded.mobile_enc,
                            bank_account_enc = excluded.bank_account_enc, contact_hash = excluded.contact_hash, updated_at = excluded.updated_at
                        """,
                        new
                        {
                            personKey, idNumber = protector.Encrypt(s.IdNumber), name = protector.Encrypt(s.Name),
                            mobile = s.Mobile.Length == 0 ? null : protector.Encrypt(s.Mobile),
                            bankAccount = s.BankAccount.Length == 0 ? null : protector.Encrypt(s.BankAccount), contactHash, now,
                        }, t);
                }
            }

            var existing = await c.QuerySingleOrDefaultAsync<SpellRow>(
                """
                SELECT end_month, city_code, employer_name, separation_reason FROM contribution_spells
                WHERE person_key = @personKey AND employer_code = @employerCode AND start_month = @startMonth
                """, new { personKey, employerCode = s.EmployerCode, startMonth = s.StartMonth }, t);
            var args = new
            {
                personKey, employerCode = s.EmployerCode, startMonth = s.StartMonth, endMonth = s.EndMonth,
                cityCode = s.CityCode, employerName = s.EmployerName, reason = s.SeparationReason, now,
            };
            if (existing is null)
            {
                await c.ExecuteAsync(
                    """
                    INSERT INTO contribution_spells (person_key, employer_code, start_month, end_month, city_code, employer_name, separation_reason, updated_at)
                    VALUES (@personKey, @employerCode, @startMonth, @endMonth, @cityCode, @employerName, @reason, @now)
                    """, args, t);
                imported++;
                spellsChanged.Add(personKey);
                newSpells.Add(new(personKey, s.CityCode, YearMonth.Parse(s.StartMonth), s.EndMonth is null ? null : YearMonth.Parse(s.EndMonth)));
            }
            else if (existing.EndMonth != s.EndMonth || existing.CityCode != s.CityCode
                     || existing.EmployerName != s.EmployerName || existing.SeparationReason != s.SeparationReason)
            {
                await c.ExecuteAsync(
                    """
                    UPDATE contribution_spells SET end_month = @endMonth, city_code = @cityCode, employer_name = @employerName,
                        separation_reason = @reason, updated_at = @now
                    WHERE person_key = @personKey AND employer_code = @employerCode AND start_month = @startMonth
                    """, args, t);
                updated++;
                spellsChanged.Add(personKey);
            }
            else if (personChanged)
            {
                updated++;
            }
        }
        // 二次审核: contributions changed, so what verification ruled out may pass now.
        // The request commits with the data; the reconciler gives each such claim an orchestration that rechecks it.
        var cutoff = now - (long)ClaimVerification.RecheckWindow.TotalMilliseconds;
        foreach (var personKey in spellsChanged)
        {
            await c.ExecuteAsync(
                """
                UPDATE applications SET recheck_requested_at = @now
                WHERE person_key = @personKey AND status = 'rejected' AND first_reviewer IS NULL AND received_at > @cutoff
                """,
                new { personKey, now, cutoff }, t);
        }
        // In-province, at once (seed 004): a recipient contributing again is a match that suspends the claim, committed with the spell.
        await matches.RaiseInProvinceAsync(c, t, newSpells, clock.GetUtcNow());
        return (imported, updated);
    }

    private static (Spell? Spell, List<string> Errors, List<string> Warnings) Validate(RegistryRow row, DateOnly today)
    {
        var errors = new List<string>();
        var warnings = new List<string>();
        // The same rules as intake (SubmitApplication.Validate): nothing lands that could never apply.
        if (IdentityNumber.Validate(row.IdNumber, today, out var document) is { } idError) errors.Add($"idNumber: {idError}");
        if (PersonName.Validate(row.Name, out var name) is { } nameError) errors.Add($"name: {nameError}");
        var mobile = "";
        if (!string.IsNullOrWhiteSpace(row.Mobile) && !MobileNumber.TryNormalize(row.Mobile, out mobile))
            errors.Add("mobile: not a mainland mobile number (11 digits from 13 to 19, optionally after +86, 0086 or 86)");
        var bank = "";
        if (row.BankAccount.Trim().Length > 0 && !BankAccountNumber.TryNormalize(row.BankAccount, out bank))
            errors.Add("bankAccount: 12 to 30 digits");
        if (CityCode.Validate(row.CityCode) is { } cityError) errors.Add($"cityCode: {cityError}");
        switch (CreditCode.Check(row.EmployerCode))
        {
            case CreditCodeCheck.Malformed: errors.Add("employerCode: not a unified social credit code (18 characters)"); break;
            case CreditCodeCheck.CheckCharacterMismatch: warnings.Add("employerCode: check character does not match (kept: some early codes are real)"); break;
        }
        if (row.EmployerName.Trim().Length == 0) errors.Add("employerName: required");
        var currentMonth = YearMonth.Of(today);
        if (!YearMonth.TryParse(row.StartMonth, out var start)) errors.Add("startMonth: YYYY-MM");
        else if (start > currentMonth) errors.Add("startMonth: in the future");
        else if (document is not null && WorkingAge.SpellStartError(document.BirthDate, start) is { } ageError) errors.Add($"startMonth: {ageError}");
        YearMonth? end = null;
        if (row.EndMonth.Length > 0)
        {
            if (!YearMonth.TryParse(row.EndMonth, out var e)) errors.Add("endMonth: YYYY-MM or empty");
            else if (e < start) errors.Add("endMonth: before startMonth");
            else if (e > currentMonth) errors.Add("endMonth: in the future");
            else end = e;
        }
        var reason = row.SeparationReason.Trim();
        if (reason.Length > 0 && !SeparationReasons.TryParse(reason, out _))
            errors.Add($"separationReason: one of {string.Join(", ", SeparationReasons.Codes)}, or empty while contributing");
        else if (row.EndMonth.Length > 0 && reason.Length == 0) errors.Add("separationReason: required when endMonth is set");
        else if (row.EndMonth.Length == 0 && reason.Length > 0) errors.Add("separationReason: must be empty while contributing");

        if (errors.Count > 0) return (null, errors, warnings);
        return (new Spell(document!.Number, name, mobile, bank, row.CityCode, row.EmployerCode.Trim().ToUpperInvariant(), row.EmployerName.Trim(),
            start.ToString(), end?.ToString(), reason.Length == 0 ? null : reason), errors, warnings);
    }

    private sealed record Spell(string IdNumber, string Name, string Mobile, string BankAccount, string CityCode,
        string EmployerCode, string EmployerName, string StartMonth, string? EndMonth, string? SeparationReason)
    {
        /// <summary>The person's first admitted line of the file: it writes their name, mobile and account.</summary>
        public bool WritesPerson { get; init; } = true;
    }

    private sealed class SpellRow
    {
        public string? EndMonth { get; init; }
        public string CityCode { get; init; } = "";
        public string EmployerName { get; init; } = "";
        public string? SeparationReason { get; init; }
    }
}

public sealed class InvalidCsvException(string message) : Exception(message);
