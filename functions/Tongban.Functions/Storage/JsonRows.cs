using System.Data.Common;
using System.Text.Json;
using Npgsql;

namespace Tongban.Storage;

/// <summary>
/// Many rows handed to one statement as one parameter: a JSON array of objects, read as a table (SQLite's
/// <c>json_each</c>, PostgreSQL's <c>json_to_recordset</c>). A statement with thousands of parameters costs the drivers
/// time quadratic in their number to bind (each is looked up by name), so set-based statements over many claims take
/// their rows this way; the objects' keys are the column names.
/// </summary>
public static class JsonRows
{
    /// <summary>
    /// The table <paramref name="alias"/> with <paramref name="columns"/> (name and PostgreSQL type: <c>text</c>,
    /// <c>bigint</c>, <c>boolean</c>) read from the JSON parameter <paramref name="parameter"/> (without @).
    /// </summary>
    public static string Table(DatabaseProvider provider, string parameter, string alias, params (string Name, string Type)[] columns) =>
        provider == DatabaseProvider.Postgres
            ? $"json_to_recordset(CAST(@{parameter} AS json)) AS {alias} ({string.Join(", ", columns.Select(c => $"{c.Name} {c.Type}"))})"
            : $"(SELECT {string.Join(", ", columns.Select(c => $"json_extract(value, '$.{c.Name}') AS {c.Name}"))} FROM json_each(@{parameter})) AS {alias}";

    /// <summary>The rows as the JSON parameter <see cref="Table"/> reads: each object's property names as they are.</summary>
    public static string Of<T>(IEnumerable<T> rows) => JsonSerializer.Serialize(rows);

    /// <summary>Which store a connection is to.</summary>
    public static DatabaseProvider Provider(this DbConnection connection) =>
        connection is NpgsqlConnection ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;
}
