using Tongban.Domain;
using Tongban.Domain.Registry;
using Tongban.PersonalData;

namespace Tongban.Registry;

/// <summary>Reads what the registry knows of a person, by the person's blind-index key.</summary>
public sealed class RegistryStore(PersonalDataProtector protector)
{
    /// <summary>
    /// A query for the insured people whose keys <paramref name="personKeysSql"/> (an SQL condition on
    /// <c>p.person_key</c>) selects: one <see cref="PersonRow"/> per contribution spell, or one with no spell columns for
    /// a person without spells, and none for a person the registry does not know. A caller batches it with its own
    /// queries and hands each person's rows to <see cref="Read"/>.
    /// </summary>
    public static string PersonsQuery(string personKeysSql) => $"""
        SELECT p.person_key, p.name_enc, s.employer_code, s.city_code, s.start_month, s.end_month, s.separation_reason
        FROM persons p LEFT JOIN contribution_spells s ON s.person_key = p.person_key
        WHERE {personKeysSql}
        """;

    /// <summary>A person from the rows <see cref="PersonsQuery"/> found for them, name decrypted; null when it found no row.</summary>
    public InsuredPerson? Read(IReadOnlyList<PersonRow> rows) => rows.Count == 0 ? null : new InsuredPerson(
        protector.Decrypt(rows[0].NameEnc),
        rows.Where(s => s.StartMonth is not null).Select(s => new ContributionSpell(
            s.EmployerCode!, s.CityCode!, YearMonth.Parse(s.StartMonth!),
            s.EndMonth is null ? null : YearMonth.Parse(s.EndMonth),
            s.SeparationReason is not null && SeparationReasons.TryParse(s.SeparationReason, out var r) ? r : null)).ToList());

    /// <summary>A row of <see cref="PersonsQuery"/>: the person's encrypted name and one spell (null columns: no spell).</summary>
    public sealed class PersonRow
    {
        public string PersonKey { get; init; } = "";
        public string NameEnc { get; init; } = "";
        public string? EmployerCode { get; init; }
        public string? CityCode { get; init; }
        public string? StartMonth { get; init; }
        public string? EndMonth { get; init; }
        public string? SeparationReason { get; init; }
    }
}
