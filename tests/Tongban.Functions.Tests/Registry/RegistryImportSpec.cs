using System.Net;
using System.Text;
using Dapper;
using Tongban.Storage;
using Tongban.Tests.Infrastructure;

namespace Tongban.Tests.Registry;

public abstract class RegistryImportSpec(Store store) : IAsyncLifetime
{
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync(store);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Good_lines_land_bad_lines_are_reported_by_line_and_a_second_import_changes_nothing()
    {
        var csv = People.Csv(
            People.Spell(People.IdNumber(1), "张三", "460100", 1, "2015-01", "2020-12", "contract-expired"),
            People.Spell(People.IdNumber(1), "张三", "460200", 2, "2021-01", "", ""),
            People.Spell(People.IdNumber(2) + "9", "李四", "460100", 3, "2015-01", "2020-12", "resigned"),
            People.Spell(People.IdNumber(3), "王五", "460100", 4, "2015-13", "2020-12", "resigned"),
            People.Spell(People.IdNumber(4), "赵六", "460100", 5, "2015-01", "2020-12", "quit-in-anger"),
            People.Spell(People.IdNumber(5), "钱七", "460100", 6, "2015-01", "2020-12", ""),
            "\"only\",\"three\",\"fields\"");

        var first = await _app.ImportAsync(csv);
        Assert.Equal(2, first.GetProperty("imported").GetInt32());
        Assert.Equal(0, first.GetProperty("updated").GetInt32());
        var rejected = first.GetProperty("rejected").EnumerateArray().ToDictionary(r => r.GetProperty("line").GetInt32(),
            r => string.Join(" | ", r.GetProperty("errors").EnumerateArray().Select(e => e.GetString())));
        Assert.Equal([4, 5, 6, 7, 8], rejected.Keys.Order());
        Assert.Contains("idNumber", rejected[4]);
        Assert.Contains("startMonth", rejected[5]);
        Assert.Contains("separationReason", rejected[6]);
        Assert.Contains("separationReason", rejected[7]);

        var second = await _app.ImportAsync(csv);
        Assert.Equal(0, second.GetProperty("imported").GetInt32());
        Assert.Equal(0, second.GetProperty("updated").GetInt32());
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM contribution_spells"));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM persons"));
    }

    [Fact]
    public async Task A_spell_that_ends_is_updated_in_place()
    {
        await _app.ImportAsync(People.Csv(People.Spell(People.IdNumber(9), "周八", "460100", 9, "2019-01", "", "")));
        var ended = await _app.ImportAsync(People.Csv(People.Spell(People.IdNumber(9), "周八", "460100", 9, "2019-01", "2026-09", "employer-closed")));

        Assert.Equal(0, ended.GetProperty("imported").GetInt32());
        Assert.Equal(1, ended.GetProperty("updated").GetInt32());
        Assert.Equal("employer-closed", await ScalarAsync("SELECT separation_reason FROM contribution_spells"));
    }

    [Fact]
    public async Task An_employer_code_failing_its_check_character_is_kept_and_flagged()
    {
        var code = People.EmployerCode(7);
        var wrongCheck = code[..17] + (code[17] == '0' ? '1' : '0');
        var line = $"{People.IdNumber(7)},吴九,13900139000,6217000010000000001,460100,{wrongCheck},老字号商行,2010-01,2026-06,employer-closed";

        var result = await _app.ImportAsync(People.Csv(line));

        Assert.Equal(1, result.GetProperty("imported").GetInt32());
        Assert.Equal(2, result.GetProperty("flagged")[0].GetProperty("line").GetInt32());
    }

    [Fact]
    public async Task A_file_without_the_header_or_sent_by_a_non_administrator_is_refused()
    {
        using var admin = await _app.StaffAsync("admin");
        var noHeader = await admin.PostAsync("/api/v1/admin/insured-persons/import",
            new StringContent(People.EligibleInSanya(1) + "\n", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.BadRequest, noHeader.StatusCode);
        Assert.Equal("application/problem+json", noHeader.Content.Headers.ContentType!.MediaType);

        using var reviewer = await _app.StaffAsync("460100-01-r1");
        var forbidden = await reviewer.PostAsync("/api/v1/admin/insured-persons/import",
            new StringContent(People.Csv(People.EligibleInSanya(1)), Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM contribution_spells"));
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = await _app.Services.GetRequiredService<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    private async Task<string?> ScalarAsync(string sql)
    {
        await using var connection = await _app.Services.GetRequiredService<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<string>(sql);
    }
}

public sealed class RegistryImportOnSqlite() : RegistryImportSpec(Store.Sqlite);

public sealed class RegistryImportOnPostgres() : RegistryImportSpec(Store.Postgres);
