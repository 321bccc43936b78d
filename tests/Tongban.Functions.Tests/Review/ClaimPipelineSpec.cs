using System.Net;
using System.Text.Json;
using Tongban.Applications;
using Tongban.Archive;
using Tongban.Domain.PersonalData;
using Tongban.Tests.Infrastructure;

namespace Tongban.Tests.Review;

/// <summary>The whole 全省通办 pipeline over HTTP, on SQLite and on PostgreSQL.</summary>
public abstract class ClaimPipelineSpec(Store store) : IAsyncLifetime
{
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync(store);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static string CurrentMonth => DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM");

    [Fact]
    public async Task Counter_claim_in_Haikou_for_a_Sanya_insured_person_is_verified_routed_and_approved()
    {
        var id = People.IdNumber(1);
        await _app.ImportAsync(People.Csv(People.EligibleInSanya(1)));

        var submitted = await _app.Portal.SubmitAsync(People.Application(id));
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        var applicationId = (await submitted.JsonAsync()).GetProperty("applicationId").GetString()!;
        Assert.Equal($"/api/v1/applications/{applicationId}", submitted.Headers.Location!.ToString());

        var verified = await _app.Portal.WaitForStatusAsync(applicationId, "first-review");
        Assert.True(verified.GetProperty("verification").GetProperty("passed").GetBoolean());
        Assert.Equal("460100-01", verified.GetProperty("assignedOffice").GetString());
        Assert.Equal("460200", verified.GetProperty("insuringCity").GetString());

        using var haikou = await _app.StaffAsync("460100-01-r1");
        var queue = await haikou.GetJsonAsync("/api/v1/review-queue?stage=first-review");
        Assert.Contains(queue.EnumerateArray(), e => e.GetProperty("applicationId").GetString() == applicationId);
        var first = await haikou.PostJsonAsync($"/api/v1/applications/{applicationId}/first-review", new { decision = "approve", opinion = "材料齐全" });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("final-review", (await first.JsonAsync()).GetProperty("status").GetString());

        var routed = await haikou.GetJsonAsync($"/api/v1/applications/{applicationId}");
        Assert.StartsWith("460200-", routed.GetProperty("assignedOffice").GetString());
        using var sanya = await _app.StaffAsync("460200-01-r1");
        var finalQueue = await sanya.GetJsonAsync("/api/v1/review-queue?stage=final-review");
        Assert.Contains(finalQueue.EnumerateArray(), e => e.GetProperty("applicationId").GetString() == applicationId);
        var preview = await sanya.GetJsonAsync($"/api/v1/applications/{applicationId}/entitlement-preview");
        using (var elsewhere = await _app.StaffAsync("460300-01-r1"))
            await elsewhere.GetAsync($"/api/v1/applications/{applicationId}/entitlement-preview").AssertRefusedAsync(HttpStatusCode.Forbidden, "outside-case-scope");
        var final = await sanya.PostJsonAsync($"/api/v1/applications/{applicationId}/final-review", new { decision = "approve", opinion = "同意" });
        Assert.Equal(HttpStatusCode.OK, final.StatusCode);

        var approved = await _app.Portal.GetJsonAsync($"/api/v1/applications/{applicationId}");
        Assert.Equal("approved", approved.GetProperty("status").GetString());
        var entitlement = approved.GetProperty("entitlement");
        // The preview the reviewer saw is what approval fixed, and there is none to preview once it is fixed.
        foreach (var field in new[] { "months", "monthlyAmount", "startMonth", "endMonth" })
            Assert.Equal(entitlement.GetProperty(field).ToString(), preview.GetProperty(field).ToString());
        await sanya.GetAsync($"/api/v1/applications/{applicationId}/entitlement-preview").AssertRefusedAsync(HttpStatusCode.Conflict, "not-waiting-for-review");
        Assert.Equal(18, entitlement.GetProperty("months").GetInt32());
        Assert.Equal(1830.00m, entitlement.GetProperty("monthlyAmount").GetDecimal());
        Assert.Equal(CurrentMonth, entitlement.GetProperty("startMonth").GetString());
        var history = approved.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("type").GetString()).ToList();
        Assert.Equal(["submitted", "registered-unemployed", "verified", "assigned", "first-review-approved", "routed", "final-review-approved"], history);
        Assert.Equal("王*", approved.GetProperty("applicant").GetProperty("name").GetString());
        Assert.Equal("4602**********" + id[^4..], approved.GetProperty("applicant").GetProperty("idNumber").GetString());

        using var admin = await _app.StaffAsync("admin");
        var sms = await WaitForSentSmsAsync(admin, applicationId, 4);
        Assert.Equal(["received", "first-review-passed", "routed", "approved"], sms.Select(s => s.GetProperty("template").GetString()));
        Assert.All(sms, s => Assert.Equal("138****8000", s.GetProperty("to").GetString()));
        Assert.Contains("18个月", sms[3].GetProperty("body").GetString());
        Assert.Contains("1830.00元", sms[3].GetProperty("body").GetString());
    }

    [Fact]
    public async Task Online_claim_is_first_reviewed_in_the_insuring_city_and_the_applicant_is_not_told_it_moved_city()
    {
        await _app.ImportAsync(People.Csv(People.EligibleInSanya(1)));
        var submitted = await _app.Portal.SubmitAsync(People.Application(People.IdNumber(1), channel: "online", office: null));
        var applicationId = (await submitted.JsonAsync()).GetProperty("applicationId").GetString()!;
        var verified = await _app.Portal.WaitForStatusAsync(applicationId, "first-review");
        var office = verified.GetProperty("assignedOffice").GetString()!;
        Assert.StartsWith("460200-", office);

        using var sanya = await _app.StaffAsync($"{office}-r1");
        Assert.Equal(HttpStatusCode.OK, (await sanya.PostJsonAsync($"/api/v1/applications/{applicationId}/first-review", new { decision = "approve" })).StatusCode);

        var routed = await _app.Portal.GetJsonAsync($"/api/v1/applications/{applicationId}");
        Assert.Equal("final-review", routed.GetProperty("status").GetString());
        Assert.Contains(routed.GetProperty("history").EnumerateArray(), h => h.GetProperty("type").GetString() == "routed");
        using var admin = await _app.StaffAsync("admin");
        var sms = await WaitForSentSmsAsync(admin, applicationId, 2);
        Assert.Equal(["received", "first-review-passed"], sms.Select(s => s.GetProperty("template").GetString()));
    }

    [Fact]
    public async Task Voluntary_resignation_is_rejected_automatically_with_the_reason_by_SMS()
    {
        var id = People.IdNumber(2);
        await _app.ImportAsync(People.Csv(People.Spell(id, "李四", "460100", 2, "2019-03", "2026-07", "resigned")));

        var response = await _app.Portal.SubmitAsync(People.Application(id, "李四"));
        var applicationId = (await response.JsonAsync()).GetProperty("applicationId").GetString()!;

        var rejected = await _app.Portal.WaitForStatusAsync(applicationId, "rejected");
        var findings = rejected.GetProperty("verification").GetProperty("findings").EnumerateArray().ToList();
        Assert.Equal("voluntary-separation", Assert.Single(findings).GetProperty("code").GetString());
        using var admin = await _app.StaffAsync("admin");
        var sms = await WaitForSentSmsAsync(admin, applicationId, 2);
        Assert.Contains("本人意愿中断就业", sms[1].GetProperty("body").GetString());

        // The closed case goes to the archive, personal data masked.
        var archive = _app.Services.GetRequiredService<IArchive>();
        var path = CaseArchive.ArchivePath(rejected.GetProperty("caseNumber").GetString()!);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        Stream? file;
        while ((file = await archive.OpenReadAsync(path, CancellationToken.None)) is null && DateTime.UtcNow < deadline) await Task.Delay(50);
        var archived = JsonDocument.Parse(file!).RootElement;
        Assert.Equal("rejected", archived.GetProperty("status").GetString());
        Assert.Equal("李*", archived.GetProperty("applicant").GetProperty("name").GetString());
        Assert.DoesNotContain(id, archived.GetRawText());
    }

    [Fact]
    public async Task A_rejected_application_is_checked_again_when_the_registry_data_change()
    {
        var id = People.IdNumber(3);
        var first = await _app.Portal.SubmitAsync(People.Application(id, "赵六"));
        var applicationId = (await first.JsonAsync()).GetProperty("applicationId").GetString()!;
        var rejected = await _app.Portal.WaitForStatusAsync(applicationId, "rejected");
        Assert.Equal("identity-not-found", rejected.GetProperty("verification").GetProperty("findings")[0].GetProperty("code").GetString());

        // The core system's next export carries the person: 二次审核 re-opens the application by itself.
        await _app.ImportAsync(People.Csv(People.Spell(id, "赵六", "460100", 3, "2015-01", "2026-06", "employer-closed")));
        var reopened = await _app.Portal.WaitForStatusAsync(applicationId, "first-review");
        Assert.True(reopened.GetProperty("verification").GetProperty("passed").GetBoolean());
        Assert.Contains("rechecked", reopened.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("type").GetString()));
        using var admin = await _app.StaffAsync("admin");
        var sms = await WaitForSentSmsAsync(admin, applicationId, 3);
        Assert.Equal("recheck-passed", sms[2].GetProperty("template").GetString());

        // It is the person's open application now, so a new one is refused with its id.
        var second = await _app.Portal.SubmitAsync(People.Application(id, "赵六"));
        var open = await second.AssertRefusedAsync(HttpStatusCode.Conflict, "open-application-exists");
        Assert.Equal(applicationId, open.GetProperty("existingApplicationId").GetString());
    }

    [Fact]
    public async Task A_reviewers_rejection_is_not_reopened_by_new_data()
    {
        var id = People.IdNumber(7);
        await _app.ImportAsync(People.Csv(People.EligibleInSanya(7)));
        var applicationId = (await (await _app.Portal.SubmitAsync(People.Application(id))).JsonAsync()).GetProperty("applicationId").GetString()!;
        await _app.Portal.WaitForStatusAsync(applicationId, "first-review");
        using var haikou = await _app.StaffAsync("460100-01-r1");
        // The reviewer quotes the applicant's identity number: the history keeps only its last four characters.
        await haikou.PostJsonAsync($"/api/v1/applications/{applicationId}/first-review",
            new { decision = "reject", opinion = $"本人（{id}）声明已找到工作" });

        await _app.ImportAsync(People.Csv(People.Spell(id, "王小明", "460200", 70, "2026-09", "2026-10", "contract-expired")));
        await Task.Delay(1500);

        var claim = await _app.Portal.GetJsonAsync($"/api/v1/applications/{applicationId}");
        Assert.Equal("rejected", claim.GetProperty("status").GetString());
        Assert.DoesNotContain(id, claim.GetRawText());
        Assert.Contains(claim.GetProperty("history").EnumerateArray(),
            e => e.GetProperty("opinion").GetString() == $"本人（{Mask.BankAccount(id)}）声明已找到工作");
        await using var database = _app.Store.Open();
        await using var c = await database.OpenAsync();
        Assert.Equal(0L, await Dapper.SqlMapper.ExecuteScalarAsync<long>(c,
            "SELECT COUNT(*) FROM application_events WHERE opinion LIKE '%' || @id || '%'", new { id }));
    }

    [Fact]
    public async Task Online_claim_goes_to_an_office_of_the_insuring_city_in_proportion_to_reviewers()
    {
        var lines = Enumerable.Range(100, 6).Select(n => People.EligibleInSanya(n)).ToArray();
        await _app.ImportAsync(People.Csv(lines));
        var offices = new List<string>();
        foreach (var n in Enumerable.Range(100, 6))
        {
            var response = await _app.Portal.SubmitAsync(People.Application(People.IdNumber(n), channel: "online", office: null));
            var applicationId = (await response.JsonAsync()).GetProperty("applicationId").GetString()!;
            offices.Add((await _app.Portal.WaitForStatusAsync(applicationId, "first-review")).GetProperty("assignedOffice").GetString()!);
        }
        // Sanya: 460200-01 has 4 reviewers, 460200-02 has 2 — six cases split 4 : 2.
        Assert.Equal(4, offices.Count(o => o == "460200-01"));
        Assert.Equal(2, offices.Count(o => o == "460200-02"));
    }

    [Fact]
    public async Task Review_scope_is_enforced_and_the_first_reviewer_cannot_also_do_the_final_review()
    {
        var id = People.IdNumber(4);
        await _app.ImportAsync(People.Csv(People.EligibleInSanya(4)));
        var response = await _app.Portal.SubmitAsync(People.Application(id, office: "460200-01"));
        var applicationId = (await response.JsonAsync()).GetProperty("applicationId").GetString()!;
        await _app.Portal.WaitForStatusAsync(applicationId, "first-review");
        var path = $"/api/v1/applications/{applicationId}";

        // What the case shows each reader about deciding it (review: stage, mayDecide, refusal) is what deciding answers.
        async Task<string> ShownAsync(HttpClient reader)
        {
            var review = (await reader.GetJsonAsync(path)).GetProperty("review");
            return review.ValueKind == JsonValueKind.Null ? "none"
                : $"{review.GetProperty("stage").GetString()}:{(review.GetProperty("mayDecide").GetBoolean() ? "may" : review.GetProperty("refusal").GetString())}"
                  + (review.GetProperty("seesEntitlementPreview").GetBoolean() ? "" : ", no preview");
        }
        using var otherOffice = await _app.StaffAsync("460100-01-r1");
        Assert.Equal("first-review:not-assigned-office, no preview", await ShownAsync(otherOffice));
        await otherOffice.PostJsonAsync(path + "/first-review", new { decision = "approve" }).AssertRefusedAsync(HttpStatusCode.Forbidden, "not-assigned-office");
        using var reviewer = await _app.StaffAsync("460200-01-r1");
        Assert.Equal("first-review:may", await ShownAsync(reviewer));
        Assert.Equal("none", await ShownAsync(_app.Portal));
        await reviewer.PostJsonAsync(path + "/final-review", new { decision = "approve" }).AssertRefusedAsync(HttpStatusCode.Conflict, "not-at-stage");
        var noOpinion = await reviewer.PostJsonAsync(path + "/first-review", new { decision = "reject" });
        Assert.Equal(HttpStatusCode.BadRequest, noOpinion.StatusCode);
        Assert.True((await noOpinion.JsonAsync()).GetProperty("errors").TryGetProperty("opinion", out _));

        Assert.Equal(HttpStatusCode.OK, (await reviewer.PostJsonAsync(path + "/first-review", new { decision = "approve" })).StatusCode);
        await reviewer.PostJsonAsync(path + "/first-review", new { decision = "approve" }).AssertRefusedAsync(HttpStatusCode.Conflict, "not-at-stage");
        Assert.Equal("final-review:first-reviewer-may-not-final-review", await ShownAsync(reviewer));
        await reviewer.PostJsonAsync(path + "/final-review", new { decision = "approve" })
            .AssertRefusedAsync(HttpStatusCode.Forbidden, "first-reviewer-may-not-final-review");
        using var haikouSupervisor = await _app.StaffAsync("460100-sup");
        Assert.Equal("final-review:not-insuring-city, no preview", await ShownAsync(haikouSupervisor));
        await haikouSupervisor.PostJsonAsync(path + "/final-review", new { decision = "approve" }).AssertRefusedAsync(HttpStatusCode.Forbidden, "not-insuring-city");

        using var colleague = await _app.StaffAsync("460200-01-r2");
        Assert.Equal("final-review:may", await ShownAsync(colleague));
        var final = await colleague.PostJsonAsync(path + "/final-review", new { decision = "reject", opinion = "经核查已就业" });
        Assert.Equal("rejected", (await final.JsonAsync()).GetProperty("status").GetString());
        Assert.Equal("none", await ShownAsync(colleague));
    }

    [Fact]
    public async Task Staff_who_may_not_decide_get_the_refusal_they_are_shown_whatever_body_they_send()
    {
        await _app.ImportAsync(People.Csv(People.EligibleInSanya(8)));
        var response = await _app.Portal.SubmitAsync(People.Application(People.IdNumber(8), office: "460200-01"));
        var applicationId = (await response.JsonAsync()).GetProperty("applicationId").GetString()!;
        await _app.Portal.WaitForStatusAsync(applicationId, "first-review");
        var path = $"/api/v1/applications/{applicationId}";
        string[] badBodies = ["{\"decision\":\"reject\"}", "{\"decision\":\"maybe\"}", "{}", "{\"decision\":", $"{{\"decision\":\"approve\",\"opinion\":\"{new string('长', 1001)}\"}}"];

        async Task AssertShownRefusalAsync(HttpClient outsider, string stage, string code)
        {
            var review = (await outsider.GetJsonAsync(path)).GetProperty("review");
            Assert.Equal((stage, false, code), (review.GetProperty("stage").GetString(), review.GetProperty("mayDecide").GetBoolean(),
                review.GetProperty("refusal").GetString()));
            foreach (var body in badBodies)
                await outsider.PostAsync($"{path}/{stage}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"))
                    .AssertRefusedAsync(HttpStatusCode.Forbidden, code);
        }
        using var otherOffice = await _app.StaffAsync("460100-01-r1");
        using var admin = await _app.StaffAsync("admin");
        await AssertShownRefusalAsync(otherOffice, "first-review", "not-assigned-office");
        await AssertShownRefusalAsync(admin, "first-review", "not-a-reviewer");

        // Whoever may decide still has the body judged, naming the field.
        using var reviewer = await _app.StaffAsync("460200-01-r1");
        var noOpinion = await reviewer.PostJsonAsync(path + "/first-review", new { decision = "reject" });
        Assert.Equal(HttpStatusCode.BadRequest, noOpinion.StatusCode);
        Assert.True((await noOpinion.JsonAsync()).GetProperty("errors").TryGetProperty("opinion", out _));
        Assert.Equal(HttpStatusCode.OK, (await reviewer.PostJsonAsync(path + "/first-review", new { decision = "approve" })).StatusCode);

        await AssertShownRefusalAsync(reviewer, "final-review", "first-reviewer-may-not-final-review");
        using var haikouSupervisor = await _app.StaffAsync("460100-sup");
        await AssertShownRefusalAsync(haikouSupervisor, "final-review", "not-insuring-city");
        using var colleague = await _app.StaffAsync("460200-01-r2");
        var badDecision = await colleague.PostJsonAsync(path + "/final-review", new { decision = "maybe" });
        Assert.Equal(HttpStatusCode.BadRequest, badDecision.StatusCode);
        Assert.True((await badDecision.JsonAsync()).GetProperty("errors").TryGetProperty("decision", out _));
        Assert.Equal("final-review", (await _app.Portal.GetJsonAsync(path)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_application_id_is_read_in_any_case_and_a_404_never_repeats_one_that_is_no_GUID()
    {
        await _app.ImportAsync(People.Csv(People.EligibleInSanya(9)));
        var submitted = await _app.Portal.SubmitAsync(People.Application(People.IdNumber(9), office: "460200-01"));
        var id = (await submitted.JsonAsync()).GetProperty("applicationId").GetString()!;
        await _app.Portal.WaitForStatusAsync(id, "first-review");
        var (upper, mixed) = (id.ToUpperInvariant(), string.Concat(id.Select((c, i) => i % 2 == 0 ? char.ToUpperInvariant(c) : c)));
        Assert.NotEqual(id, upper);

        using var reviewer = await _app.StaffAsync("460200-01-r1");
        foreach (var read in new[] { "", "/spells", "/notifications", "/payments", "/entitlement-preview" })
        {
            var response = await reviewer.GetAsync($"/api/v1/applications/{upper}{read}");
            Assert.True(response.IsSuccessStatusCode, $"GET {read}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        var shown = await _app.Portal.GetJsonAsync($"/api/v1/applications/{mixed}");
        Assert.Equal(id, shown.GetProperty("applicationId").GetString());
        var first = await reviewer.PostJsonAsync($"/api/v1/applications/{upper}/first-review", new { decision = "approve" });
        Assert.Equal("final-review", (await first.JsonAsync()).GetProperty("status").GetString());
        using var supervisor = await _app.StaffAsync("460200-sup");
        var reassigned = await supervisor.PostJsonAsync($"/api/v1/applications/{mixed}/reassign", new { office = "460200-02" });
        Assert.Equal("460200-02", (await reassigned.JsonAsync()).GetProperty("assignedOffice").GetString());
        using var colleague = await _app.StaffAsync("460200-01-r2");
        var final = await colleague.PostJsonAsync($"/api/v1/applications/{mixed}/final-review", new { decision = "approve" });
        Assert.Equal("approved", (await final.JsonAsync()).GetProperty("status").GetString());
        Assert.Equal("approved", (await _app.Portal.GetJsonAsync($"/api/v1/applications/{id}")).GetProperty("status").GetString());

        // Every route with an application id: one that is no GUID (however long, or another spelling of one) is a 404
        // that does not repeat it.
        var routes = _app.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>().Where(e => e.RoutePattern.RawText!.Contains("/applications/{id}"))
            .Select(e => (Route: e.RoutePattern.RawText!, Method: e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods.Single()))
            .ToList();
        Assert.Contains(("/api/v1/applications/{id}/reassign", "POST"), routes);
        using var admin = await _app.StaffAsync("admin");
        foreach (var malformed in new[] { string.Concat(Enumerable.Repeat(id, 84))[..3000], id + "0", id.Replace("-", "") })
        foreach (var (route, method) in routes)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), route.Replace("{id}", malformed));
            if (method is "POST" or "PUT") request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
            var response = await admin.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {route} ({malformed.Length} characters): {(int)response.StatusCode} {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain(malformed, body);
        }
    }

    [Fact]
    public async Task Reemployment_reported_at_any_office_stops_benefit_and_a_claim_once_that_job_ended_resumes_unused_months()
    {
        var id = People.IdNumber(5);
        await _app.ImportAsync(People.Csv(People.EligibleInSanya(5)));
        var applicationId = await ApproveAsync(id, "460100-01", "460100-01-r1", "460200-01-r1");
        using var danzhou = await _app.StaffAsync("460400-01-r1");
        var today = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd");

        // The endpoint's own checks name the field; the one the stop rule makes (it needs the claim) also says which refusal.
        foreach (var (body, field, code) in new (object, string, string?)[]
                 {
                     (new { type = "reemployed", date = "2099-01-01" }, "date", null),
                     (new { type = "reemployed", date = "2001-01-01" }, "date", "event-before-benefit"),
                     (new { type = "promoted", date = today }, "type", null),
                 })
        {
            var refused = await danzhou.PostJsonAsync($"/api/v1/applications/{applicationId}/events", body);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            var problem = await refused.JsonAsync();
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{body} names {field}");
            if (code is not null) Assert.Equal(code, problem.GetProperty("code").GetString());
        }
        var stop = await danzhou.PostJsonAsync($"/api/v1/applications/{applicationId}/events", new { type = "reemployed", date = today });
        Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        Assert.Equal("terminated", (await stop.JsonAsync()).GetProperty("status").GetString());
        await danzhou.PostJsonAsync($"/api/v1/applications/{applicationId}/events", new { type = "reemployed", date = today })
            .AssertRefusedAsync(HttpStatusCode.Conflict, "not-being-paid");

        // Back in work: a claim is refused until the registry shows the new job ended.
        var again = await _app.Portal.SubmitAsync(People.Application(id));
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var secondId = (await again.JsonAsync()).GetProperty("applicationId").GetString()!;
        var backInWork = await _app.Portal.WaitForStatusAsync(secondId, "rejected");
        Assert.Equal("reemployed", backInWork.GetProperty("verification").GetProperty("findings")[0].GetProperty("code").GetString());

        // The new job, begun this month, ended by its employer: 二次审核 reopens the claim, and the 17 unused months carry
        // over (条例 art. 17).
        await _app.ImportAsync(People.Csv(People.EligibleInSanya(5), People.Spell(id, "王小明", "460200", 105, today[..7], today[..7], "employer-closed")));
        await _app.Portal.WaitForStatusAsync(secondId, "first-review");
        using var haikou = await _app.StaffAsync("460100-01-r1");
        await haikou.PostJsonAsync($"/api/v1/applications/{secondId}/first-review", new { decision = "approve" });
        using var sanya = await _app.StaffAsync("460200-01-r1");
        await sanya.PostJsonAsync($"/api/v1/applications/{secondId}/final-review", new { decision = "approve" });
        var second = await _app.Portal.GetJsonAsync($"/api/v1/applications/{secondId}");
        Assert.Equal("approved", second.GetProperty("status").GetString());
        Assert.Equal(17, second.GetProperty("entitlement").GetProperty("months").GetInt32());
    }

    [Fact]
    public async Task Staff_and_portals_see_only_masked_personal_data_and_the_store_holds_none_in_clear()
    {
        var id = People.IdNumber(6);
        await _app.ImportAsync(People.Csv(People.EligibleInSanya(6, "欧阳娜娜")));
        var response = await _app.Portal.SubmitAsync(People.Application(id, "欧阳娜娜"));
        var applicationId = (await response.JsonAsync()).GetProperty("applicationId").GetString()!;
        await _app.Portal.WaitForStatusAsync(applicationId, "first-review");
        using var staff = await _app.StaffAsync("460100-01-r2");
        var text = (await staff.GetJsonAsync($"/api/v1/applications/{applicationId}")).GetRawText();
        Assert.DoesNotContain(id, text);
        Assert.DoesNotContain("13800138000", text);
        Assert.Contains("\"欧*\"", text);

        if (_app.Store.Kind == Store.Sqlite)
        {
            var files = Directory.GetFiles(_app.Store.Folder, "tongban.db*");
            var raw = string.Concat(files.Select(f =>
            {
                using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
                return reader.ReadToEnd();
            }));
            Assert.Contains("contribution_spells", raw);
            Assert.DoesNotContain(id, raw);
            Assert.DoesNotContain("欧阳娜娜", raw);
            Assert.DoesNotContain("13800138000", raw);
        }
    }

    private async Task<string> ApproveAsync(string idNumber, string office, string firstReviewer, string finalReviewer)
    {
        var response = await _app.Portal.SubmitAsync(People.Application(idNumber, office: office));
        var applicationId = (await response.JsonAsync()).GetProperty("applicationId").GetString()!;
        await _app.Portal.WaitForStatusAsync(applicationId, "first-review");
        using var first = await _app.StaffAsync(firstReviewer);
        Assert.Equal(HttpStatusCode.OK, (await first.PostJsonAsync($"/api/v1/applications/{applicationId}/first-review", new { decision = "approve" })).StatusCode);
        using var final = await _app.StaffAsync(finalReviewer);
        Assert.Equal(HttpStatusCode.OK, (await final.PostJsonAsync($"/api/v1/applications/{applicationId}/final-review", new { decision = "approve" })).StatusCode);
        return applicationId;
    }

    private static async Task<List<JsonElement>> WaitForSentSmsAsync(HttpClient admin, string applicationId, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var sms = (await admin.GetJsonAsync($"/api/v1/admin/notifications?applicationId={applicationId}")).EnumerateArray().ToList();
            if (sms.Count == count && sms.All(s => s.GetProperty("status").GetString() == "sent")) return sms;
            if (DateTime.UtcNow > deadline) Assert.Fail($"Expected {count} sent SMS, have {JsonSerializer.Serialize(sms)}");
            await Task.Delay(50);
        }
    }
}

public sealed class ClaimPipelineOnSqlite() : ClaimPipelineSpec(Store.Sqlite);

public sealed class ClaimPipelineOnPostgres() : ClaimPipelineSpec(Store.Postgres);
