using Dapper;
using Tongban.Hosting;
using Tongban.Storage;
using Tongban.Tests.Infrastructure;

namespace Tongban.Tests.Registry;

/// <summary>The operators' commands: generate a demo population, import a registry file into a configured database.</summary>
public sealed class CommandLineSpec : IAsyncLifetime
{
    private TestStore _store = null!;

    public async ValueTask InitializeAsync() => _store = await TestStore.CreateAsync(Store.Sqlite);

    public async ValueTask DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Demo_data_is_the_same_for_the_same_seed_and_imports_with_every_line_accepted()
    {
        var first = Path.Combine(_store.Folder, "a.csv");
        var second = Path.Combine(_store.Folder, "b.csv");
        var other = Path.Combine(_store.Folder, "c.csv");
        Assert.Equal(0, await Cli.RunAsync(["demo-data", "--people", "60", "--seed", "7", "--out", first]));
        Assert.Equal(0, await Cli.RunAsync(["demo-data", "--people", "60", "--seed", "7", "--out", second]));
        Assert.Equal(0, await Cli.RunAsync(["demo-data", "--people", "60", "--seed", "8", "--out", other]));
        Assert.Equal(await File.ReadAllTextAsync(first), await File.ReadAllTextAsync(second));
        Assert.NotEqual(await File.ReadAllTextAsync(first), await File.ReadAllTextAsync(other));
        var lines = (await File.ReadAllLinesAsync(first)).Length - 1;

        Assert.Equal(0, await Cli.RunAsync(["import-registry", first, .. TestApp.Settings(_store)]));
        // Importing it again changes nothing and still succeeds.
        Assert.Equal(0, await Cli.RunAsync(["import-registry", first, .. TestApp.Settings(_store)]));

        await using var database = new Database(DatabaseProvider.Sqlite, _store.ConnectionString);
        await using var connection = await database.OpenAsync();
        Assert.Equal(lines, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM contribution_spells"));
        Assert.Equal(60, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM persons"));
    }

    [Fact]
    public async Task A_missing_file_is_a_one_line_error_and_a_non_zero_exit_not_a_stack_trace()
    {
        var missing = Path.Combine(_store.Folder, "badimp.csv");
        var error = new StringWriter();
        var original = Console.Error;
        Console.SetError(error);
        int code;
        try
        {
            code = await Cli.RunAsync(["import-registry", missing, .. TestApp.Settings(_store)]);
        }
        finally
        {
            Console.SetError(original);
        }
        Assert.Equal(1, code);
        Assert.Contains($"找不到文件 / file not found: {missing}", error.ToString());
        Assert.DoesNotContain("   at ", error.ToString());
    }

    [Fact]
    public void A_relative_path_resolves_against_the_folder_the_command_was_run_from_not_the_projects()
    {
        var shell = _store.Folder;
        Assert.Equal(Path.Combine(shell, "badimp.csv"), Cli.ResolvePath("badimp.csv", shell));
        Assert.Equal(Path.Combine(shell, "in", "people.csv"), Cli.ResolvePath("in/people.csv", shell));
        // An absolute path stays as it is (one elsewhere than the shell's folder).
        var absolute = Path.Combine(Path.GetTempPath(), "elsewhere", "people.csv");
        Assert.Equal(absolute, Cli.ResolvePath(absolute, shell));
        // No shell folder (or not one that exists): the process's current folder.
        Assert.Equal(Path.Combine(Directory.GetCurrentDirectory(), "people.csv"), Cli.ResolvePath("people.csv", "relative/nonsense"));
    }

    [Fact]
    public async Task A_file_with_bad_lines_imports_the_good_ones_and_exits_non_zero()
    {
        var file = Path.Combine(_store.Folder, "people.csv");
        await File.WriteAllTextAsync(file, People.Csv(People.EligibleInSanya(1), "broken,line"));

        Assert.Equal(2, await Cli.RunAsync(["import-registry", file, .. TestApp.Settings(_store)]));

        await using var database = new Database(DatabaseProvider.Sqlite, _store.ConnectionString);
        await using var connection = await database.OpenAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM contribution_spells"));
    }
}
