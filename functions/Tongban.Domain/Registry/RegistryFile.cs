namespace Tongban.Domain.Registry;

/// <summary>
/// What the lines of one registry file have said so far, so that no later line silently contradicts an earlier one:
/// the export has one line per contribution spell (idNumber + employerCode + startMonth) and one name per person.
/// <para>
/// When two lines disagree the first accepted line is kept and every later one is refused, naming the first — rather
/// than refusing both, as a bureau would if it held the whole file: lines land in commits of a few thousand while the
/// file streams in (up to 200 MB, never held whole), so the first line is often stored before the second is read.
/// First-wins gives the same result whatever the commit size and on every re-import (importing the file again changes
/// nothing), and the report tells the core system's export team exactly which two lines to reconcile; which of the two
/// is right cannot be told from the file, so nothing is guessed from their content (such as the later end month).
/// An identical repeat is refused too: it is still a second line for one spell.
/// </para>
/// <para>
/// A person's mobile and bank account are taken from their first line as well. A later line giving others still lands
/// its spell, with a warning: contact details do not decide eligibility, and writing each line's in turn would make
/// every re-import "update" the person.
/// </para>
/// Each line leaves fixed-size values only (digests, not text), so a file of a million people costs tens of megabytes.
/// </summary>
public sealed class RegistryFile
{
    private readonly Dictionary<long, Person> _people = [];
    private readonly Dictionary<SpellKey, int> _spells = [];
    private readonly Dictionary<string, int> _employers = new(StringComparer.Ordinal);

    /// <summary>
    /// Checks a line whose fields are each valid (canonical identity number, normalised name, mobile and account) against
    /// the lines admitted before it, and admits it when nothing contradicts them.
    /// </summary>
    public Admission Admit(int line, string idNumber, string name, string mobile, string bankAccount, string employerCode, YearMonth start)
    {
        var person = Number(idNumber);
        var key = new SpellKey(person, Employer(employerCode), start);
        var known = _people.TryGetValue(person, out var first);
        List<string> errors = [];
        if (known && first.Name != Digest(name))
            errors.Add($"name: differs from line {first.Line}, which gives this idNumber another name (line {first.Line}'s is kept)");
        if (_spells.TryGetValue(key, out var spellLine))
            errors.Add($"duplicate: the same idNumber, employerCode and startMonth as line {spellLine}, one line per contribution spell (line {spellLine}'s is kept)");
        if (errors.Count > 0) return new Admission(errors, [], FirstLineOfPerson: false);

        _spells.Add(key, line);
        if (!known)
        {
            _people.Add(person, new Person(line, Digest(name), Digest(mobile), Digest(bankAccount)));
            return new Admission([], [], FirstLineOfPerson: true);
        }
        List<string> warnings = [];
        if (first.Mobile != Digest(mobile)) warnings.Add($"mobile: differs from line {first.Line} of the same person (line {first.Line}'s is kept)");
        if (first.BankAccount != Digest(bankAccount)) warnings.Add($"bankAccount: differs from line {first.Line} of the same person (line {first.Line}'s is kept)");
        return new Admission([], warnings, FirstLineOfPerson: false);
    }

    private int Employer(string code)
    {
        if (!_employers.TryGetValue(code, out var index)) _employers.Add(code, index = _employers.Count);
        return index;
    }

    /// <summary>A canonical identity number (17 digits and a digit or X) as one number.</summary>
    private static long Number(string idNumber)
    {
        long value = 0;
        for (var i = 0; i < 17; i++) value = value * 10 + (idNumber[i] - '0');
        return value * 11 + (idNumber[17] == 'X' ? 10 : idNumber[17] - '0');
    }

    // FNV-1a, 64 bits: two different values share a digest about once in 10^19 comparisons, and then a contradiction
    // goes unreported — never a good line refused.
    private static long Digest(string value)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in value) hash = (hash ^ c) * 1099511628211UL;
        return (long)hash;
    }

    private readonly record struct SpellKey(long Person, int Employer, YearMonth Start);

    private readonly record struct Person(int Line, long Name, long Mobile, long BankAccount);
}

/// <summary>
/// What <see cref="RegistryFile.Admit"/> made of a line: refused (errors), or admitted with any warnings; only a person's
/// first admitted line writes their name and contact details.
/// </summary>
public sealed record Admission(IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings, bool FirstLineOfPerson);
