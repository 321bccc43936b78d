using System.Data.Common;
using Dapper;
using Tongban.Domain;
using Tongban.Domain.Registry;
using Tongban.PersonalData;

namespace Tongban.Registry;

/// <summary>Reads what the registry knows of a person, by the person's blind-index key.</summary>
public sealed class RegistryStore(PersonalDataProtector protector)
{
    public async Task<InsuredPerson?> FindAsync(DbConnection connection, DbTransaction? transaction, string personKey)
    {
        var nameEnc = await connection.QuerySingleOrDefaultAsync<string>(
            "SELECT name_enc FROM persons WHERE person_key = @personKey", new { personKey }, transaction);
        if (nameEnc is null) return null;
        var spells = await connection.QueryAsync<SpellRow>(
            """
            SELECT employer_code, city_code, start_month, end_month, separation_reason
            FROM contribution_spells WHERE person_key = @personKey
            """, new { personKey }, transaction);
        return new InsuredPerson(protector.Decrypt(nameEnc), spells.Select(s => new ContributionSpell(
            s.EmployerCode, s.CityCode, YearMonth.Parse(s.StartMonth),
            s.EndMonth is null ? null : YearMonth.Parse(s.EndMonth),
            s.SeparationReason is not null && SeparationReasons.TryParse(s.SeparationReason, out var r) ? r : null)).ToList());
    }

    private sealed class SpellRow
    {
        public string EmployerCode { get; init; } = "";
        public string CityCode { get; init; } = "";
        public string StartMonth { get; init; } = "";
        public string? EndMonth { get; init; }
        public string? SeparationReason { get; init; }
    }
}
