using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Tongban.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Tongban.Tests.StaffConsole;

/// <summary>
/// A city supervisor and reviewers beyond the queue, in a real browser against the real service (the fixture's four
/// Haikou counter applications, one per test): the supervisor reassigns a case to another office, whose reviewer then
/// finds it in the queue; a supervisor sets the day's reviewers on duty and sees each office's share; a reviewer of another city reports a recipient's re-employment (就近报告); an audited reveal
/// shows the full identity number until the reviewer leaves the case; and a reviewer is refused the supervisor's pages.
/// </summary>
public sealed class SupervisorConsoleSpec(ConsoleFixture console) : IClassFixture<ConsoleFixture>
{
    private static string ChinaToday => DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd");

    [Fact]
    public async Task The_supervisor_reassigns_a_case_to_another_office_and_it_appears_in_that_offices_queue()
    {
        var (id, caseNumber) = console.Applications[0];
        var page = await console.NewPageAsync();
        await ConsoleFixture.SignInAsync(page, "460100-sup");

        await Expect(page).ToHaveURLAsync(new Regex("/console/supervisor/overview$"));
        await Expect(page.GetByTestId("offices")).ToContainTextAsync("460100-02");
        var row = page.Locator("[data-test=cases] .el-table__body tr", new() { HasText = caseNumber });
        await Expect(row).ToContainTextAsync("期限内");
        await ConsoleFixture.ScreenshotAsync(page, "supervisor-overview");
        await row.GetByRole(AriaRole.Button, new() { Name = "改派" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = $"改派案件 {caseNumber}" });
        await dialog.GetByRole(AriaRole.Button, new() { Name = "确认改派" }).ClickAsync();
        await Expect(dialog.Locator(".el-form-item__error")).ToHaveTextAsync("请选择改派至的经办机构");
        await dialog.Locator("[data-test=reassign-office]").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "460100-02" }).ClickAsync();
        await dialog.GetByLabel("改派理由").FillAsync("一中心积压，调配至二中心");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "确认改派" }).ClickAsync();

        await Expect(page.GetByText($"{caseNumber} 已改派至")).ToBeVisibleAsync();
        var application = await console.ApplicationAsync(id);
        Assert.Equal(("first-review", "460100-02"), (application.GetProperty("status").GetString(), application.GetProperty("assignedOffice").GetString()));
        var history = application.GetProperty("history").EnumerateArray().Last();
        Assert.Equal(("reassigned", "460100-sup", "一中心积压，调配至二中心"),
            (history.GetProperty("type").GetString(), history.GetProperty("actor").GetString(), history.GetProperty("opinion").GetString()));

        var reviewer = await console.NewPageAsync();
        await ConsoleFixture.SignInAsync(reviewer, "460100-02-r1");
        await Expect(reviewer.GetByRole(AriaRole.Link, new() { Name = caseNumber })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_supervisor_sets_todays_reviewers_on_duty_and_sees_each_offices_share_of_new_online_applications()
    {
        var page = await console.NewPageAsync();
        await ConsoleFixture.SignInAsync(page, "460200-sup");
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "在岗人数与分派" }).ClickAsync();
        var table = page.GetByTestId("staffing");
        var first = table.Locator(".el-table__body tr", new() { HasText = "460200-01" });
        var second = table.Locator(".el-table__body tr", new() { HasText = "460200-02" });
        // The province file: 4 and 2 reviewers.
        await Expect(first).ToContainTextAsync("67%");
        await Expect(second).ToContainTextAsync("33%");

        await first.Locator("input").FillAsync("1");
        await first.Locator("input").PressAsync("Tab");
        await second.Locator("input").FillAsync("3");
        await second.Locator("input").PressAsync("Tab");
        await Expect(first).ToContainTextAsync("25%");
        await Expect(second).ToContainTextAsync("75%");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存在岗人数" }).ClickAsync();

        await Expect(page.GetByText("网上申请将按此比例分派")).ToBeVisibleAsync();
        await Expect(second).ToContainTextAsync("460200-sup 于");
        using var supervisor = await console.App.StaffAsync("460200-sup");
        var staffing = await supervisor.GetJsonAsync("/api/v1/supervision/staffing");
        Assert.Equal([1, 3], staffing.GetProperty("offices").EnumerateArray().Select(o => o.GetProperty("onDuty").GetInt32()));
    }

    [Fact]
    public async Task A_reviewer_at_another_city_reports_a_recipients_reemployment()
    {
        var (id, caseNumber) = console.Applications[1];
        using (var haikou = await console.App.StaffAsync("460100-01-r1"))
            Assert.Equal(HttpStatusCode.OK, (await haikou.PostJsonAsync($"/api/v1/applications/{id}/first-review", new { decision = "approve" })).StatusCode);
        var assigned = (await console.ApplicationAsync(id)).GetProperty("assignedOffice").GetString();
        using (var sanya = await console.App.StaffAsync($"{assigned}-r2"))
            Assert.Equal(HttpStatusCode.OK, (await sanya.PostJsonAsync($"/api/v1/applications/{id}/final-review", new { decision = "approve" })).StatusCode);
        var page = await console.NewPageAsync();
        await ConsoleFixture.SignInAsync(page, "460300-01-r1");

        await page.GetByRole(AriaRole.Menuitem, new() { Name = "就近报告" }).ClickAsync();
        await page.Locator("#lookup-text").FillAsync(caseNumber);
        await page.Locator("#lookup-text").PressAsync("Enter");
        var found = page.Locator("[data-test=found] .el-table__body tr", new() { HasText = caseNumber });
        await Expect(found).ToContainTextAsync("已核准");
        await Expect(found).ToContainTextAsync("符*");
        await found.GetByRole(AriaRole.Button, new() { Name = "报告停发" }).ClickAsync();

        var form = page.GetByTestId("stop-form");
        await form.Locator("[data-test=stop-type]").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "死亡" }).ClickAsync();
        await form.GetByRole(AriaRole.Button, new() { Name = "提交报告" }).ClickAsync();
        await Expect(form).ToContainTextAsync("请选择发生日期");
        await Expect(form).ToContainTextAsync("报告人姓名：必填");
        await Expect(form).ToContainTextAsync("请填写 11 位手机号");
        Assert.Equal("approved", (await console.ApplicationAsync(id)).GetProperty("status").GetString());

        await form.Locator("[data-test=stop-type]").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "重新就业" }).ClickAsync();
        var date = form.Locator(".el-date-editor input");
        await date.FillAsync(ChinaToday);
        await date.PressAsync("Enter");
        await ConsoleFixture.ScreenshotAsync(page, "stop-report");
        await form.GetByRole(AriaRole.Button, new() { Name = "提交报告" }).ClickAsync();

        await Expect(page.GetByText($"{caseNumber} 已报告重新就业")).ToBeVisibleAsync();
        var application = await console.ApplicationAsync(id);
        Assert.Equal("terminated", application.GetProperty("status").GetString());
        var stopped = application.GetProperty("history").EnumerateArray().Last();
        Assert.Equal(("stopped", "460300-01-r1", "460300-01"),
            (stopped.GetProperty("type").GetString(), stopped.GetProperty("actor").GetString(), stopped.GetProperty("office").GetString()));
    }

    [Fact]
    public async Task An_audited_reveal_shows_the_full_identity_number_until_the_reviewer_leaves_the_case()
    {
        var (id, caseNumber) = console.Applications[2];
        var page = await console.NewPageAsync();
        await ConsoleFixture.SignInAsync(page, "460100-01-r1");
        await page.GetByRole(AriaRole.Link, new() { Name = caseNumber }).ClickAsync();
        var applicant = page.GetByTestId("applicant");
        await Expect(applicant).ToContainTextAsync("4602**********");

        await page.GetByRole(AriaRole.Button, new() { Name = "查看完整信息（将记录审计）" }).ClickAsync();
        var prompt = page.GetByRole(AriaRole.Dialog, new() { Name = "查看完整信息（将记录审计）" });
        await Expect(prompt).ToContainTextAsync("将记录审计");
        await prompt.Locator("input").FillAsync("窗口核对申请人身份");
        await prompt.GetByRole(AriaRole.Button, new() { Name = "确认查看" }).ClickAsync();

        await Expect(applicant).ToContainTextAsync(People.IdNumber(403));
        await Expect(applicant).ToContainTextAsync("吴三");
        await Expect(page.GetByText("（完整信息，已记录审计）")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Menuitem, new() { Name = "初审待办" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = caseNumber }).ClickAsync();
        await Expect(applicant).ToContainTextAsync("4602**********");
        await Expect(applicant).Not.ToContainTextAsync(People.IdNumber(403));
        Assert.Equal("first-review", (await console.ApplicationAsync(id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_reviewer_is_told_the_supervisors_pages_are_not_theirs_and_sees_none_of_them()
    {
        var page = await console.NewPageAsync();
        await ConsoleFixture.SignInAsync(page, "460100-01-r1");
        await Expect(page.GetByTestId("who")).ToBeVisibleAsync();

        await page.GotoAsync("/console/supervisor/overview");

        await Expect(page.GetByText("审核员账号无权使用“各机构办理情况”页面")).ToBeVisibleAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/review/first-review$"));
        await Expect(page.GetByTestId("offices")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Menuitem, new() { Name = "在岗人数与分派" })).ToHaveCountAsync(0);
    }
}
