using Microsoft.Data.Sqlite;
using var c = new SqliteConnection("Data Source=:memory:"); c.Open();
var cmd = c.CreateCommand(); cmd.CommandText = "select sqlite_version()"; Console.WriteLine(cmd.ExecuteScalar());
