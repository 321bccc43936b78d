using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Tongban.Storage;
using Tongban.Tests.Infrastructure;
using Tongban.Tests.Payouts;

namespace Tongban.Tests.Review;

/// <summary>
/// Benefit rules real cases exercise, over HTTP: the statutory retirement age (ruling out, and continuing benefit to it),
/// the count restarting after an earlier entitlement, mutual agreement as province configuration, and names that leave
/// the BMP reaching the bank file unchanged.
/// </summary>
public abstract class BenefitRulesSpec(Store store) : IAsyncLifetime
{
    private TestApp? _app;
    private PayoutDriver? _payouts;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        if (_payouts is not null) await _payouts.DisposeAsync();
    }

    /// <summary>A counter claim at Haikou, verified; returns the application as it then stands.</summary>
    private static async Task<JsonElement> SubmitAsync(TestApp app, string idNumber, string name)
    {
        var response = await app.Portal.SubmitAsync(People.Application(idNumber, name));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await app.Portal.WaitForStatusAsync((await response.JsonAsync()).GetProperty("applicationId").GetString()!, "first-review", "rejected");
    }

    private static async Task<JsonElement> ApproveAsync(TestApp app, string applicationId)
    {
        using var haikou = await app.StaffAsync("460100-01-r1");
        Assert.Equal(HttpStatusCode.OK, (await haikou.PostJsonAsync($"/api/v1/applications/{applicationId}/first-review", new { decision = "approve" })).StatusCode);
        var assigned = (await haikou.GetJsonAsync($"/api/v1/applications/{applicationId}")).GetProperty("assignedOffice").GetString();
        using var final = await app.StaffAsync($"{assigned}-r2");
        Assert.Equal(HttpStatusCode.OK, (await final.PostJsonAsync($"/api/v1/applications/{applicationId}/final-review", new { decision = "approve" })).StatusCode);
        return await app.Portal.GetJsonAsync($"/api/v1/applications/{applicationId}");
    }

    private static string[] Findings(JsonElement application) =>
        [.. application.GetProperty("verification").GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("code").GetString()!)];

    [Fact]
    public async Task A_man_past_his_statutory_retirement_age_is_ruled_out()
    {
        _app = await TestApp.StartAsync(store);
        // Born May 1960: 60 before the reform, reached in May 2020.
        var id = People.IdNumber(1, birth: "19600515");
        await _app.ImportAsync(People.Csv(People.Spell(id, "郑一", "460200", 1, "2015-01", "2026-08", "contract-expired")));

        var application = await SubmitAsync(_app, id, "郑一");

        Assert.Equal("rejected", application.GetProperty("status").GetString());
        Assert.Equal(["past-retirement-age"], Findings(application));
    }

    [Fact]
    public async Task After_an_entitlement_paid_out_in_full_only_the_new_job_counts()
    {
        _app = await TestApp.StartAsync(store);
        var id = People.IdNumber(2);
        await _app.ImportAsync(People.Csv(
            People.Spell(id, "冯二", "460100", 20, "2010-01", "2020-12", "contract-expired"),
            People.Spell(id, "冯二", "460200", 21, "2023-06", "2026-08", "employer-closed")));
        await SeedCompletedEntitlementAsync(id, "冯二", start: "2021-01", end: "2022-12");

        var application = await SubmitAsync(_app, id, "冯二");
        var approved = await ApproveAsync(_app, application.GetProperty("applicationId").GetString()!);

        // 39 months since the earlier entitlement: 12 months of benefit, not the 24 the whole history (171 months) would give.
        Assert.Equal(12, approved.GetProperty("entitlement").GetProperty("months").GetInt32());
    }

    [Fact]
    public async Task A_province_where_a_mutual_agreement_does_not_qualify_rules_it_out()
    {
        var folder = Directory.CreateTempSubdirectory("tongban-province-").FullName;
        var path = ProvinceFiles.Write(folder, "hainan", province => province["eligibility"]!["mutualAgreementQualifies"] = false);
        _app = await TestApp.StartAsync(store, $"--Province:Name={path}");
        var agreed = People.IdNumber(3);
        var expired = People.IdNumber(4);
        await _app.ImportAsync(People.Csv(
            People.Spell(agreed, "褚三", "460200", 3, "2015-01", "2026-08", "mutual-agreement"),
            People.Spell(expired, "卫四", "460200", 4, "2015-01", "2026-08", "contract-expired")));

        Assert.Equal(["mutual-agreement-not-covered"], Findings(await SubmitAsync(_app, agreed, "褚三")));
        Assert.Equal("first-review", (await SubmitAsync(_app, expired, "卫四")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_entitlement_ending_less_than_a_year_before_retirement_is_paid_until_it_and_a_stop_still_stops_it()
    {
        _payouts = await PayoutDriver.StartAsync(store, new DateTimeOffset(2026, 10, 20, 9, 0, 0, PayoutDriver.China));
        await _payouts.ScheduledRunAsync("2026-10");
        // Born August 1967: statutory age 60 years 8 months, reached on 2028-04-15. Forty months of contributions give
        // twelve months of benefit, October 2026 to September 2027: seven months short of it, so it is continued.
        var id = People.IdNumber(5, birth: "19670815");
        await _payouts.ImportAsync(People.Spell(id, "蒋五", "460100", 5, "2023-05", "2026-08", "contract-expired"));
        var application = await SubmitAsync(_payouts.App, id, "蒋五");
        var applicationId = application.GetProperty("applicationId").GetString()!;

        var entitlement = (await ApproveAsync(_payouts.App, applicationId)).GetProperty("entitlement");
        Assert.Equal(12, entitlement.GetProperty("months").GetInt32());
        Assert.Equal("2028-04", entitlement.GetProperty("endMonth").GetString());
        Assert.Equal(7, entitlement.GetProperty("continuedMonths").GetInt32());
        var approvedSms = await _payouts.SmsAsync(applicationId, "approved");
        Assert.Contains("续发至2028年4月", approvedSms.Single().GetProperty("body").GetString());

        await _payouts.TodayAsync(2027, 10, 1);
        await _payouts.RunAsync("2027-10");
        Assert.Contains("2027-10", (await _payouts.PaymentsAsync(applicationId)).Select(p => p.GetProperty("period").GetString()));

        await _payouts.TodayAsync(2027, 10, 15);
        using var office = await _payouts.App.StaffAsync("460100-01-r1");
        Assert.Equal(HttpStatusCode.OK,
            (await office.PostJsonAsync($"/api/v1/applications/{applicationId}/events", new { type = "reemployed", date = "2027-10-12" })).StatusCode);
        await _payouts.TodayAsync(2027, 11, 1);
        await _payouts.RunAsync("2027-11");
        Assert.DoesNotContain("2027-11", (await _payouts.PaymentsAsync(applicationId)).Select(p => p.GetProperty("period").GetString()));
    }

    [Theory]
    [InlineData("reemployed", "reemployed")]
    [InlineData("died", "deceased")]
    public async Task A_person_reported_back_in_work_or_dead_is_refused_a_new_claim(string stop, string finding)
    {
        _payouts = await PayoutDriver.StartAsync(store, new DateTimeOffset(2026, 10, 20, 9, 0, 0, PayoutDriver.China));
        var id = People.IdNumber(6, birth: "19850315");
        await _payouts.ImportAsync(People.Spell(id, "韩六", "460100", 6, "2020-01", "2026-08", "contract-expired"));
        var first = (await SubmitAsync(_payouts.App, id, "韩六")).GetProperty("applicationId").GetString()!;
        await ApproveAsync(_payouts.App, first);

        await _payouts.TodayAsync(2026, 12, 3);
        using (var office = await _payouts.App.StaffAsync("460100-01-r1"))
        {
            object report = stop == "died"
                ? new { type = stop, date = "2026-12-02", dependants = 0, reporter = new { name = "韩丽", relationship = "child", mobile = "13912345678" } }
                : new { type = stop, date = "2026-12-02" };
            Assert.Equal(HttpStatusCode.OK, (await office.PostJsonAsync($"/api/v1/applications/{first}/events", report)).StatusCode);
        }
        var again = await SubmitAsync(_payouts.App, id, "韩六");

        Assert.Equal("rejected", again.GetProperty("status").GetString());
        Assert.Equal([finding], Findings(again));
    }

    [Fact]
    public async Task Names_outside_the_BMP_and_in_private_use_reach_the_bank_file_unchanged()
    {
        _payouts = await PayoutDriver.StartAsync(store, new DateTimeOffset(2026, 10, 20, 9, 0, 0, PayoutDriver.China));
        await _payouts.ScheduledRunAsync("2026-10");
        Person[] people = [new(31, "\U00020BB7祥云", "460200", "460200"), new(32, "王\uE3C7", "460200", "460200"), new(33, "阿依古丽·买买提", "460200", "460200")];
        await _payouts.ImportAsync([.. people.Select(p => p.Spell())]);
        foreach (var person in people) await _payouts.ApproveAsync(person);

        await _payouts.TodayAsync(2026, 11, 1);
        var run = await _payouts.RunAsync("2026-11");

        var rows = (await _payouts.BankFileAsync(run.GetProperty("runId").GetString()!, "460200")).Skip(1).ToList();
        Assert.All(people, person => Assert.Contains(rows, row => row[1] == person.Account && row[2] == person.Name));
    }

    private async Task SeedCompletedEntitlementAsync(string idNumber, string name, string start, string end)
    {
        var protector = TestApp.Protector();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using var connection = await _app!.Services.GetRequiredService<Database>().OpenAsync();
        await connection.ExecuteAsync(
            """
            INSERT INTO applications (id, case_number, service_item, channel, status, is_open, person_key, id_number_enc, document_kind,
                name_enc, mobile_enc, portal_id, insuring_city, entitlement_months, monthly_fen, start_month, end_month,
                received_at, updated_at, archived_at, version)
            VALUES (@id, 'EARLIER-1', 'unemployment-benefit', 'counter', 'completed', 0, @personKey, @idEnc, 'resident-id',
                @nameEnc, @mobileEnc, 'demo-portal', '460100', 24, 183000, @start, @end, @now, @now, @now, 9)
            """,
            new
            {
                id = Guid.NewGuid().ToString(), personKey = protector.PersonKey(idNumber), idEnc = protector.Encrypt(idNumber),
                nameEnc = protector.Encrypt(name), mobileEnc = protector.Encrypt("13800138000"), start, end, now,
            });
    }
}

public sealed class BenefitRulesOnSqlite() : BenefitRulesSpec(Store.Sqlite);

public sealed class BenefitRulesOnPostgres() : BenefitRulesSpec(Store.Postgres);
