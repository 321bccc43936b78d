using System.Net;
using System.Text.Json;
using Dapper;
using Tongban.Domain.Identifiers;
using Tongban.Storage;
using Tongban.Tests.Infrastructure;

namespace Tongban.Tests.Intake;

/// <summary>
/// Identity documents, names and mobiles as real applicants bring them, through registry import, intake, verification,
/// the application view and the SMS log: one normalisation on every path, so variants are one person.
/// </summary>
public abstract class IdentitySpec(Store store) : IAsyncLifetime
{
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync(store);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static object Online(string idNumber, string name, string mobile = "13800138000") =>
        new { serviceItem = "unemployment-benefit", channel = "online", applicant = new { idNumber, name, mobile } };

    private async Task<JsonElement> SubmitAndVerifyAsync(object body)
    {
        var response = await _app.Portal.SubmitAsync(body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.JsonAsync()).GetProperty("applicationId").GetString()!;
        return await _app.Portal.WaitForStatusAsync(id, "first-review", "rejected");
    }

    private static string[] Findings(JsonElement application) =>
        [.. application.GetProperty("verification").GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("code").GetString()!)];

    [Theory]
    [InlineData("830000", "taiwan-permit")]
    [InlineData("810000", "hk-macao-permit")]
    [InlineData("820000", "hk-macao-permit")]
    [InlineData("94484019", "foreign-permanent-resident")]
    public async Task A_permit_holder_is_imported_applies_and_is_routed_by_the_contribution_spells(string prefix, string kind)
    {
        // Born 1988-06-15 (a foreigner's card: 9, Guangdong 44, nationality 840, then the birth date).
        var first17 = prefix.Length == 6 ? prefix + "19880615123" : prefix[..6] + "19880615123";
        var id = first17 + IdentityNumber.CheckCharacter(first17);
        var imported = await _app.ImportAsync(People.Csv(People.Spell(id, "陈怡君", "460200", 1, "2018-01", "2026-08", "contract-expired")));
        Assert.Equal(0, imported.GetProperty("rejected").GetArrayLength());

        var application = await SubmitAndVerifyAsync(Online(id, "陈怡君"));

        Assert.Equal("first-review", application.GetProperty("status").GetString());
        Assert.Equal("460200", application.GetProperty("insuringCity").GetString());
        Assert.StartsWith("460200-", application.GetProperty("assignedOffice").GetString());
        var applicant = application.GetProperty("applicant");
        Assert.Equal(kind, applicant.GetProperty("documentKind").GetString());
        Assert.Equal(id[..4] + "**********" + id[^4..], applicant.GetProperty("idNumber").GetString());
    }

    [Fact]
    public async Task Variants_of_one_identity_number_are_one_person_and_one_application()
    {
        // 46020019850315104X, written three ways.
        await _app.ImportAsync(People.Csv(People.Spell("46020019850315104x", "王五", "460200", 2, "2018-01", "2026-08", "contract-expired")));

        var first = await SubmitAndVerifyAsync(Online("４６０２００ １９８５０３１５ １０４Ｘ", "王五"));
        var again = await _app.Portal.SubmitAsync(Online("　460200 19850315 104x ", "王五"));

        Assert.Equal("first-review", first.GetProperty("status").GetString());
        Assert.Equal("resident-id", first.GetProperty("applicant").GetProperty("documentKind").GetString());
        var open = await again.AssertRefusedAsync(HttpStatusCode.Conflict, "open-application-exists");
        Assert.Equal(first.GetProperty("applicationId").GetString(), open.GetProperty("existingApplicationId").GetString());
        Assert.Equal(1, await ScalarAsync("SELECT COUNT(*) FROM persons"));
    }

    [Fact]
    public async Task A_middle_dot_keyed_differently_at_the_portal_matches_and_a_dropped_dot_does_not()
    {
        var ayguli = People.IdNumber(3);
        var ali = People.IdNumber(4);
        await _app.ImportAsync(People.Csv(
            People.Spell(ayguli, "阿依古丽・买买提", "460200", 3, "2018-01", "2026-08", "contract-expired"),
            People.Spell(ali, "艾力 · 买买提", "460200", 4, "2018-01", "2026-08", "contract-expired")));

        var matched = await SubmitAndVerifyAsync(Online(ayguli, "阿依古丽•买买提"));
        var dropped = await SubmitAndVerifyAsync(Online(ali, "艾力买买提"));

        Assert.Equal("first-review", matched.GetProperty("status").GetString());
        Assert.Equal(["name-mismatch"], Findings(dropped));
    }

    [Fact]
    public async Task Names_outside_the_BMP_and_in_private_use_round_trip_through_the_API_and_the_database()
    {
        const string outsideBmp = "\U00020BB7祥云";
        const string privateUse = "王\uE3C7";
        var first = People.IdNumber(5);
        var second = People.IdNumber(6);
        await _app.ImportAsync(People.Csv(
            People.Spell(first, outsideBmp, "460100", 5, "2018-01", "2026-08", "contract-expired"),
            People.Spell(second, privateUse, "460100", 6, "2018-01", "2026-08", "contract-expired")));

        var a = await SubmitAndVerifyAsync(Online(first, outsideBmp));
        var b = await SubmitAndVerifyAsync(Online(second, privateUse));

        Assert.Equal("first-review", a.GetProperty("status").GetString());
        Assert.Equal("first-review", b.GetProperty("status").GetString());
        Assert.Equal("\U00020BB7*", a.GetProperty("applicant").GetProperty("name").GetString());
        using var haikou = await _app.StaffAsync("460100-sup");
        var revealed = await haikou.PostJsonAsync($"/api/v1/applications/{a.GetProperty("applicationId").GetString()}/reveal", new { reason = "核对姓名生僻字" });
        Assert.Equal(HttpStatusCode.OK, revealed.StatusCode);
        Assert.Equal(outsideBmp, (await revealed.JsonAsync()).GetProperty("name").GetString());
        var revealedPrivate = await haikou.PostJsonAsync($"/api/v1/applications/{b.GetProperty("applicationId").GetString()}/reveal", new { reason = "核对姓名生僻字" });
        Assert.Equal(privateUse, (await revealedPrivate.JsonAsync()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_mobile_written_with_0086_spaces_or_hyphens_is_the_same_number()
    {
        var id = People.IdNumber(7);
        var imported = await _app.ImportAsync(People.Csv(People.Spell(id, "周八", "460200", 7, "2018-01", "2026-08", "contract-expired",
            mobile: "0086 139-0755-1234")));
        Assert.Equal(0, imported.GetProperty("rejected").GetArrayLength());

        var application = await SubmitAndVerifyAsync(Online(id, "周八", "+86 139 0755 1234"));

        Assert.Equal("139****1234", application.GetProperty("applicant").GetProperty("mobile").GetString());
        using var admin = await _app.StaffAsync("admin");
        var sms = (await admin.GetJsonAsync($"/api/v1/admin/notifications?applicationId={application.GetProperty("applicationId").GetString()}"))
            .EnumerateArray().First();
        Assert.Equal("139****1234", sms.GetProperty("to").GetString());
    }

    [Fact]
    public async Task Every_SMS_row_records_the_parts_carriers_bill_it_as()
    {
        var id = People.IdNumber(8);

        var application = await SubmitAndVerifyAsync(Online(id, "吴九"));

        using var admin = await _app.StaffAsync("admin");
        var sms = (await admin.GetJsonAsync($"/api/v1/admin/notifications?applicationId={application.GetProperty("applicationId").GetString()}"))
            .EnumerateArray().ToList();
        Assert.Equal(["received", "verification-failed"], sms.Select(s => s.GetProperty("template").GetString()));
        Assert.All(sms, s => Assert.Equal(Domain.Notifications.SmsMessage.PartsOf(s.GetProperty("body").GetString()!),
            s.GetProperty("parts").GetInt32()));
        // "未查询到您的参保记录" takes the rejection past 70 units: it is billed as two parts.
        Assert.Equal([1, 2], sms.Select(s => s.GetProperty("parts").GetInt32()));
    }

    public static TheoryData<string, string, string> BadApplicants => new()
    {
        { "{\"idNumber\":\"460100190002291234\",\"name\":\"王五\",\"mobile\":\"13800138000\"}", "applicant.idNumber", "birth date 1900-02-29" },
        { "{\"idNumber\":\"830100198806151236\",\"name\":\"王五\",\"mobile\":\"13800138000\"}", "applicant.idNumber", "830000" },
        { "{\"idNumber\":\"11010519491231002X\",\"name\":\"王五2\",\"mobile\":\"13800138000\"}", "applicant.name", "digits" },
        { "{\"idNumber\":\"11010519491231002X\",\"name\":\"·买买提\",\"mobile\":\"13800138000\"}", "applicant.name", "begin and end" },
        { "{\"idNumber\":\"11010519491231002X\",\"name\":\"王五\",\"mobile\":\"0085 13800138000\"}", "applicant.mobile", "0086" },
        { "{\"idNumber\":\"11010519491231002X\",\"name\":\"王五\",\"mobile\":\"12800138000\"}", "applicant.mobile", "13 to 19" },
    };

    [Theory]
    [MemberData(nameof(BadApplicants))]
    public async Task A_value_the_new_rules_refuse_is_a_problem_naming_the_field_and_stores_nothing(string applicant, string field, string says)
    {
        var body = $"{{\"serviceItem\":\"unemployment-benefit\",\"channel\":\"online\",\"applicant\":{applicant}}}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/applications")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());

        var response = await _app.Portal.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.Equal([field], errors.EnumerateObject().Select(e => e.Name));
        Assert.Contains(says, errors.GetProperty(field)[0].GetString());
        Assert.Equal(0, await ScalarAsync("SELECT COUNT(*) FROM applications"));
    }

    [Fact]
    public async Task A_registry_line_the_rules_refuse_is_reported_by_line_number_and_the_rest_of_the_file_lands()
    {
        var csv = People.Csv(
            People.Spell(People.IdNumber(10), "钱十", "460100", 10, "2015-01", "2026-08", "contract-expired"),
            People.Spell(People.IdNumber(11), "孙11", "460100", 11, "2015-01", "2026-08", "contract-expired"),
            People.Spell(IdentityNumberWithBirth("19000229"), "李一", "460100", 12, "2015-01", "2026-08", "contract-expired"),
            People.Spell(People.IdNumber(13), "郑三", "460100", 13, "2015-01", "2026-08", "contract-expired", mobile: "12800138000"),
            People.Spell(People.IdNumber(14), "阿依古丽•买买提", "460100", 14, "2015-01", "2026-08", "contract-expired"),
            People.Spell(People.IdNumber(15, region: "830000"), "林志明", "460100", 15, "2015-01", "2026-08", "contract-expired"));

        var result = await _app.ImportAsync(csv);

        Assert.Equal(3, result.GetProperty("imported").GetInt32());
        var rejected = result.GetProperty("rejected").EnumerateArray().ToDictionary(r => r.GetProperty("line").GetInt32(),
            r => string.Join(" | ", r.GetProperty("errors").EnumerateArray().Select(e => e.GetString())));
        Assert.Equal([3, 4, 5], rejected.Keys.Order());
        Assert.StartsWith("name:", rejected[3]);
        Assert.Contains("birth date 1900-02-29", rejected[4]);
        Assert.DoesNotContain("check character", rejected[4]);
        Assert.StartsWith("mobile:", rejected[5]);
    }

    private static string IdentityNumberWithBirth(string birth)
    {
        var first17 = "460100" + birth + "123";
        return first17 + IdentityNumber.CheckCharacter(first17);
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await _app.Services.GetRequiredService<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql);
    }
}

public sealed class IdentityOnSqlite() : IdentitySpec(Store.Sqlite);

public sealed class IdentityOnPostgres() : IdentitySpec(Store.Postgres);
