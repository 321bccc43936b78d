using System.Net;
using System.Text;
using System.Text.Json;
using Dapper;
using Tongban.PersonalData;
using Tongban.Registry;
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
        Assert.Equal(["column idNumber", "column startMonth", "column separationReason", "column separationReason", "field-count"],
            Problems(first).OrderBy(p => p.Key).Select(p => p.Value));

        var second = await _app.ImportAsync(csv);
        Assert.Equal(0, second.GetProperty("imported").GetInt32());
        Assert.Equal(0, second.GetProperty("updated").GetInt32());
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM contribution_spells"));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM persons"));
    }

    [Fact]
    public async Task Two_imports_of_the_same_people_at_once_both_succeed_and_store_each_spell_once()
    {
        // Two spells a person, so a person's lines straddle the import's transactions (2,000 lines each): one import may
        // have committed a person and their first spell while the other still finds the second spell absent.
        var csv = People.Csv([.. Enumerable.Range(1, 2500).SelectMany(n => new[]
        {
            People.Spell(People.IdNumber(n), "张三", "460100", n, "2010-01", "2014-12", "contract-expired"),
            People.Spell(People.IdNumber(n), "张三", "460100", n + 5000, "2015-01", "2020-12", "contract-expired"),
        })]);

        var results = await Task.WhenAll(_app.ImportAsync(csv), _app.ImportAsync(csv), _app.ImportAsync(csv));

        Assert.Equal(5000, results.Sum(r => r.GetProperty("imported").GetInt32()));
        Assert.All(results, r => Assert.Equal(0, r.GetProperty("rejected").GetArrayLength()));
        Assert.Equal(5000, await CountAsync("SELECT COUNT(*) FROM contribution_spells"));
        Assert.Equal(2500, await CountAsync("SELECT COUNT(*) FROM persons"));
    }

    [Theory]
    [InlineData("\"张\"三")]
    [InlineData("\"张三")]
    public async Task Broken_quoting_is_malformed_csv_where_it_is_met_and_nothing_after_it_is_guessed_at(string brokenName)
    {
        var csv = People.Csv(
            People.Spell(People.IdNumber(1), "李四", "460100", 1, "2015-01", "2020-12", "contract-expired"),
            People.Spell(People.IdNumber(2), "张三", "460100", 2, "2015-01", "2020-12", "contract-expired").Replace("张三", brokenName),
            People.Spell(People.IdNumber(3), "王五", "460100", 3, "2015-01", "2020-12", "contract-expired"));

        var result = await _app.ImportAsync(csv);

        Assert.Equal(1, result.GetProperty("imported").GetInt32());
        var problem = Assert.Single(result.GetProperty("rejected").EnumerateArray());
        Assert.Equal(3, problem.GetProperty("line").GetInt32());
        Assert.Equal("malformed-csv", problem.GetProperty("problems")[0].GetProperty("code").GetString());
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
    public async Task Two_lines_for_one_spell_keep_the_first_and_a_second_import_changes_nothing()
    {
        var csv = People.Csv(
            People.Spell(People.IdNumber(11), "孙十", "460100", 11, "2015-01", "2020-12", "contract-expired"),
            People.Spell(People.IdNumber(11), "孙十", "460100", 11, "2015-01", "2021-06", "employer-closed"),
            People.Spell(People.IdNumber(11), "孙十", "460100", 11, "2015-01", "2020-12", "contract-expired"));

        var first = await _app.ImportAsync(csv);
        var second = await _app.ImportAsync(csv);

        Assert.Equal(1, first.GetProperty("imported").GetInt32());
        Assert.Equal(0, first.GetProperty("updated").GetInt32());
        var rejected = Rejected(first);
        Assert.Equal([3, 4], rejected.Keys.Order());
        Assert.Contains("line 2", rejected[3]);
        Assert.Contains("line 2", rejected[4]);
        Assert.All(Problems(first).Values, code => Assert.Equal("duplicate", code));
        Assert.Equal("contract-expired", await ScalarAsync("SELECT separation_reason FROM contribution_spells"));
        Assert.Equal(0, second.GetProperty("imported").GetInt32());
        Assert.Equal(0, second.GetProperty("updated").GetInt32());
        Assert.Equal([3, 4], Rejected(second).Keys.Order());
    }

    [Fact]
    public async Task A_city_code_that_is_no_administrative_division_is_refused_and_another_provinces_is_not()
    {
        var result = await _app.ImportAsync(People.Csv(
            People.Spell(People.IdNumber(12), "郑一", "999999", 12, "2015-01", "2020-12", "contract-expired"),
            People.Spell(People.IdNumber(12), "郑一", "460A00", 13, "2015-01", "2020-12", "contract-expired"),
            People.Spell(People.IdNumber(12), "郑一", "004600", 14, "2015-01", "2020-12", "contract-expired"),
            People.Spell(People.IdNumber(12), "郑一", "440300", 15, "2021-01", "2022-12", "contract-expired"),
            People.Spell(People.IdNumber(12), "郑一", "810000", 16, "2023-01", "2023-12", "contract-expired")));

        var rejected = Rejected(result);
        Assert.Equal([2, 3, 4], rejected.Keys.Order());
        Assert.All(rejected.Values, errors => Assert.StartsWith("cityCode: ", errors));
        Assert.Equal(2, result.GetProperty("imported").GetInt32());
    }

    [Fact]
    public async Task A_line_with_more_or_fewer_fields_than_the_header_is_refused_and_the_rest_lands()
    {
        var good = People.Spell(People.IdNumber(17), "冯二", "460100", 17, "2015-01", "2020-12", "contract-expired");
        var result = await _app.ImportAsync(People.Csv(
            good,
            People.Spell(People.IdNumber(18), "陈三", "460100", 18, "2015-01", "2020-12", "contract-expired") + ",extra",
            People.Spell(People.IdNumber(19), "褚四", "460100", 19, "2015-01", "2020-12", "contract-expired") + ",",
            string.Join(',', good.Split(',')[..9])));

        var rejected = Rejected(result);
        Assert.Equal([3, 4, 5], rejected.Keys.Order());
        Assert.Contains("11 fields", rejected[3]);
        Assert.Contains("11 fields", rejected[4]);
        Assert.Contains("9 fields", rejected[5]);
        Assert.All(Problems(result).Values, code => Assert.Equal("field-count", code));
        Assert.Equal(1, result.GetProperty("imported").GetInt32());
    }

    [Fact]
    public async Task A_header_with_a_column_the_contract_lacks_is_refused_and_nothing_lands()
    {
        using var admin = await _app.StaffAsync("admin");
        var csv = People.Header + ",gender\n" + People.EligibleInSanya(20) + ",M\n";

        var response = await admin.PostAsync("/api/v1/admin/insured-persons/import", new StringContent(csv, Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("gender", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM contribution_spells"));
    }

    [Fact]
    public async Task A_spell_before_the_persons_birth_or_sixteenth_birthday_is_refused_naming_startMonth()
    {
        var id = People.IdNumber(21, birth: "20000615");
        var result = await _app.ImportAsync(People.Csv(
            People.Spell(id, "卫五", "460100", 21, "1999-12", "2020-12", "contract-expired"),
            People.Spell(id, "卫五", "460100", 22, "2016-05", "2020-12", "contract-expired"),
            People.Spell(id, "卫五", "460100", 23, "2016-06", "2020-12", "contract-expired")));

        var rejected = Rejected(result);
        Assert.Equal([2, 3], rejected.Keys.Order());
        Assert.StartsWith("startMonth: before the person's birth", rejected[2]);
        Assert.StartsWith("startMonth: before the person turned 16", rejected[3]);
        Assert.Equal(1, result.GetProperty("imported").GetInt32());
    }

    [Fact]
    public async Task A_second_name_for_one_identity_number_is_refused_naming_name_and_the_first_is_kept()
    {
        var csv = People.Csv(
            People.Spell(People.IdNumber(24), "蒋六", "460100", 24, "2015-01", "2020-12", "contract-expired"),
            People.Spell(People.IdNumber(24), "沈七", "460100", 25, "2021-01", "", ""),
            People.Spell(People.IdNumber(24), "蒋六", "460100", 26, "2010-01", "2014-12", "contract-expired"));

        var first = await _app.ImportAsync(csv);
        var second = await _app.ImportAsync(csv);

        var rejected = Rejected(first);
        Assert.Equal([3], rejected.Keys);
        Assert.StartsWith("name: ", rejected[3]);
        Assert.Contains("line 2", rejected[3]);
        Assert.Equal(2, first.GetProperty("imported").GetInt32());
        Assert.Equal("蒋六", await NameAsync(People.IdNumber(24)));
        Assert.Equal(0, second.GetProperty("imported").GetInt32());
        Assert.Equal(0, second.GetProperty("updated").GetInt32());
    }

    [Fact]
    public async Task A_second_mobile_for_one_person_is_flagged_the_first_kept_and_a_second_import_changes_nothing()
    {
        var csv = People.Csv(
            People.Spell(People.IdNumber(27), "韩八", "460100", 27, "2015-01", "2020-12", "contract-expired", mobile: "13800138000"),
            People.Spell(People.IdNumber(27), "韩八", "460100", 28, "2021-01", "", "", mobile: "13900139000"));

        var first = await _app.ImportAsync(csv);
        var second = await _app.ImportAsync(csv);

        Assert.Equal(2, first.GetProperty("imported").GetInt32());
        Assert.Empty(first.GetProperty("rejected").EnumerateArray());
        var flagged = first.GetProperty("flagged")[0];
        Assert.Equal(3, flagged.GetProperty("line").GetInt32());
        Assert.StartsWith("mobile: ", flagged.GetProperty("errors")[0].GetString());
        Assert.Equal(0, second.GetProperty("imported").GetInt32());
        Assert.Equal(0, second.GetProperty("updated").GetInt32());
    }

    [Fact]
    public async Task A_file_that_is_not_UTF_8_is_refused_as_a_whole_and_nothing_lands()
    {
        using var admin = await _app.StaffAsync("admin");
        var gbk = CodePagesEncodingProvider.Instance.GetEncoding("GBK")!;
        var bytes = gbk.GetBytes(People.Csv(People.EligibleInSanya(1), People.EligibleInSanya(2, name: "海南椰风")));

        var declared = new ByteArrayContent(bytes);
        declared.Headers.ContentType = new("text/csv") { CharSet = "gbk" };
        var refused = await admin.PostAsync("/api/v1/admin/insured-persons/import", declared);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        Assert.Contains("UTF-8", (await refused.JsonAsync()).GetProperty("detail").GetString());

        var undeclared = new ByteArrayContent(bytes);
        undeclared.Headers.ContentType = new("text/csv");
        var invalid = await admin.PostAsync("/api/v1/admin/insured-persons/import", undeclared);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("application/problem+json", invalid.Content.Headers.ContentType!.MediaType);
        var error = (await invalid.JsonAsync()).GetProperty("errors").EnumerateObject().Single();
        Assert.Equal("$", error.Name);
        Assert.Contains("UTF-8", error.Value[0].GetString());
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM contribution_spells"));

        // UTF-8 saved with a byte order mark (as Excel does) is still UTF-8.
        var withBom = new ByteArrayContent([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(People.Csv(People.EligibleInSanya(3)))]);
        withBom.Headers.ContentType = new("text/csv");
        var landed = await admin.PostAsync("/api/v1/admin/insured-persons/import", withBom);
        Assert.Equal(1, (await landed.JsonAsync()).GetProperty("imported").GetInt32());
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

    /// <summary>Each rejected line's problem codes, a column's named after it (<c>column idNumber</c>).</summary>
    private static Dictionary<int, string> Problems(JsonElement result) =>
        result.GetProperty("rejected").EnumerateArray().ToDictionary(r => r.GetProperty("line").GetInt32(),
            r => string.Join(" | ", r.GetProperty("problems").EnumerateArray().Select(p =>
                p.GetProperty("column").GetString() is { } column ? $"{p.GetProperty("code").GetString()} {column}" : p.GetProperty("code").GetString())));

    private static Dictionary<int, string> Rejected(JsonElement result) =>
        result.GetProperty("rejected").EnumerateArray().ToDictionary(r => r.GetProperty("line").GetInt32(),
            r => string.Join(" | ", r.GetProperty("errors").EnumerateArray().Select(e => e.GetString())));

    private async Task<string?> NameAsync(string idNumber)
    {
        var store = _app.Services.GetRequiredService<RegistryStore>();
        var personKey = _app.Services.GetRequiredService<PersonalDataProtector>().PersonKey(idNumber);
        await using var connection = await _app.Services.GetRequiredService<Database>().OpenAsync();
        var rows = (await connection.QueryAsync<RegistryStore.PersonRow>(RegistryStore.PersonsQuery("p.person_key = @personKey"), new { personKey })).ToList();
        return store.Read(rows)?.Name;
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
