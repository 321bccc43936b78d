namespace Tongban.Storage;

/// <summary>
/// A column matched against a list parameter. Dapper expands <c>IN @list</c> into one parameter per item for
/// SQLite, but hands PostgreSQL the list as one array parameter, which only <c>= ANY(@list)</c> accepts.
/// </summary>
public static class SqlLists
{
    public static string In(this Database database, string column, string parameter) => In(database.Provider, column, parameter);

    public static string In(DatabaseProvider provider, string column, string parameter) =>
        provider == DatabaseProvider.Postgres ? $"{column} = ANY(@{parameter})" : $"{column} IN @{parameter}";
}
