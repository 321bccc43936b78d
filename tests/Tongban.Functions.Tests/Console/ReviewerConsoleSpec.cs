using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Tongban.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Tongban.Tests.StaffConsole;

/// <summary>
/// Reviewers work their queues in the console, in a real browser against the real service: a Haikou reviewer signs in
/// by keyboard, reads the queue oldest first, opens a case, is stopped from rejecting without an opinion, approves with
/// one, and the case moves on to Sanya's final review, which a Sanya reviewer completes. Each test takes its own case.
/// </summary>
public sealed class ReviewerConsoleSpec(ConsoleFixture console) : IClassFixture<ConsoleFixture>
{
    private const string Reviewer = "460100-01-r1";

    [Fact]
    public async Task A_wrong_password_is_refused_in_words_and_Enter_signs_the_reviewer_in_to_the_oldest_first_queue()
    {
        var page = await console.NewPageAsync();
        await page.GotoAsync("/console/");
        await page.GetByLabel("用户名").FillAsync(Reviewer);
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync("wrong-password");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "用户名或密码错误" })).ToBeVisibleAsync();

        await ConsoleFixture.SignInAsync(page, Reviewer);

        await Expect(page).ToHaveURLAsync(new Regex("/console/review/first-review$"));
        await Expect(page.GetByTestId("who")).ToContainTextAsync("460100-01-r1（审核员，460100-01）");
        // The third case is the one the approval test takes out of the queue, whichever test runs first.
        var rows = page.Locator("[data-test=queue] .el-table__body tr");
        await Expect(rows.Nth(0)).ToContainTextAsync(console.Applications[0].CaseNumber);
        await Expect(rows.Nth(1)).ToContainTextAsync(console.Applications[1].CaseNumber);
        await Expect(rows.Nth(0)).ToContainTextAsync("期限内");
        await ConsoleFixture.ScreenshotAsync(page, "queue");
        await ConsoleFixture.DocsScreenshotAsync(page, "console-queue");

        await page.GetByRole(AriaRole.Menuitem, new() { Name = "复核待办" }).ClickAsync();
        await Expect(page.GetByText("暂无待办，已全部清零")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "退出登录" }).ClickAsync();
        await Expect(page.GetByText("您已退出登录")).ToBeVisibleAsync();
        await page.GotoAsync("/console/review/first-review");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "登录" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_rejection_needs_an_opinion_and_an_approval_with_one_sends_the_case_to_final_review()
    {
        var (id, caseNumber) = console.Applications[2];
        var page = await console.NewPageAsync();
        await ConsoleFixture.SignInAsync(page, Reviewer);
        await page.GetByRole(AriaRole.Link, new() { Name = caseNumber }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"案件 {caseNumber}" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("applicant")).ToContainTextAsync("吴*");
        await Expect(page.GetByTestId("applicant")).ToContainTextAsync("138****8000");
        await Expect(page.GetByTestId("verification")).ToContainTextAsync("核验通过：");
        await Expect(page.GetByTestId("spells")).ToContainTextAsync("测试公司403");
        await Expect(page.GetByTestId("spells")).ToContainTextAsync("劳动合同期满");
        await Expect(page.GetByText("合计 104 个月")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("history")).ToContainTextAsync("提交申请");
        await Expect(page.GetByTestId("sms")).ToContainTextAsync(caseNumber);

        await ConsoleFixture.ScreenshotAsync(page, "case");
        await page.GetByRole(AriaRole.Radio, new() { Name = "不予通过" }).FocusAsync();
        await page.Keyboard.PressAsync("Space");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交审核" }).ClickAsync();
        await Expect(page.Locator(".el-form-item__error")).ToHaveTextAsync("不予通过时必须填写审核意见");
        Assert.Equal("first-review", (await console.ApplicationAsync(id)).GetProperty("status").GetString());

        await page.Locator("label.el-radio", new() { HasTextRegex = new Regex("^通过$") }).ClickAsync();
        await page.GetByLabel("审核意见").FillAsync("身份核验一致，同意");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交审核" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/console/review/first-review$"));
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = caseNumber })).ToHaveCountAsync(0);
        var application = await console.ApplicationAsync(id);
        Assert.Equal("final-review", application.GetProperty("status").GetString());
        var decision = application.GetProperty("history").EnumerateArray().Single(e => e.GetProperty("type").GetString() == "first-review-approved");
        Assert.Equal((Reviewer, "身份核验一致，同意"), (decision.GetProperty("actor").GetString(), decision.GetProperty("opinion").GetString()));
    }

    [Theory]
    [InlineData("460200-01-r1", true)]
    [InlineData("460400-01-r1", false)]
    public async Task A_reviewer_who_may_not_decide_a_case_is_told_why_instead_of_being_offered_the_form(string reviewer, bool insuringCity)
    {
        var (id, caseNumber) = console.Applications[1];
        var page = await console.NewPageAsync();
        var refused = new List<string>();
        page.Response += (_, response) => { if (response.Status >= 400) refused.Add($"{response.Status} {response.Url}"); };
        await ConsoleFixture.SignInAsync(page, reviewer);
        await Expect(page).ToHaveURLAsync(new Regex("/console/review/first-review$"));

        await page.GotoAsync($"/console/review/cases/{id}");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"案件 {caseNumber}" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("review-barred")).ToContainTextAsync("该件的初审由承办经办机构办理，不在本人的办理范围内");
        await Expect(page.GetByTestId("review-form")).ToHaveCountAsync(0);
        // Sanya, the insuring city, sees what a final approval would fix; a third city is not asked for it, so no request fails.
        await Expect(page.GetByTestId("entitlement-preview")).ToHaveCountAsync(insuringCity ? 1 : 0);
        Assert.Empty(refused);
        Assert.Equal("first-review", (await console.ApplicationAsync(id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_reviewer_of_the_insuring_city_sees_the_entitlement_before_and_after_completing_the_final_review()
    {
        var (id, caseNumber) = console.Applications[3];
        using (var haikou = await console.App.StaffAsync(Reviewer))
            (await haikou.PostJsonAsync($"/api/v1/applications/{id}/first-review", new { decision = "approve" })).EnsureSuccessStatusCode();
        var assigned = (await console.ApplicationAsync(id)).GetProperty("assignedOffice").GetString()!;
        var page = await console.NewPageAsync();
        await ConsoleFixture.SignInAsync(page, $"{assigned}-r1");

        await page.GetByRole(AriaRole.Menuitem, new() { Name = "复核待办" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = caseNumber }).ClickAsync();
        await Expect(page.GetByTestId("history")).ToContainTextAsync("初审通过");
        using (var reviewer = await console.App.StaffAsync($"{assigned}-r1"))
        {
            var preview = await reviewer.GetJsonAsync($"/api/v1/applications/{id}/entitlement-preview");
            await Expect(page.GetByTestId("entitlement-preview")).ToContainTextAsync($"{preview.GetProperty("months").GetInt32()} 个月");
            await Expect(page.GetByTestId("entitlement-preview")).ToContainTextAsync(preview.GetProperty("startMonth").GetString()!);
        }
        await page.Locator("label.el-radio", new() { HasTextRegex = new Regex("^通过$") }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "提交审核" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/review/final-review$"));
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = caseNumber })).ToHaveCountAsync(0);

        await page.GotoAsync($"/console/review/cases/{id}");
        await Expect(page.GetByTestId("status")).ToHaveTextAsync("已核准");
        await Expect(page.GetByText("18 个月", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("history")).ToContainTextAsync("复核通过");
        Assert.Equal("approved", (await console.ApplicationAsync(id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_token_the_API_no_longer_accepts_returns_the_reviewer_to_sign_in_with_a_message()
    {
        var page = await console.NewPageAsync();
        await ConsoleFixture.SignInAsync(page, Reviewer);
        await Expect(page.GetByTestId("who")).ToBeVisibleAsync();

        await page.EvaluateAsync("""
            () => {
              const session = JSON.parse(sessionStorage.getItem('tongban.session'))
              sessionStorage.setItem('tongban.session', JSON.stringify({ ...session, token: 'revoked' }))
            }
            """);
        await page.ReloadAsync();

        await Expect(page.GetByText("登录已过期，请重新登录")).ToBeVisibleAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/login"));
    }

    [Fact]
    public async Task A_session_past_its_expiry_returns_to_sign_in_with_a_message()
    {
        var page = await console.NewPageAsync();
        await ConsoleFixture.SignInAsync(page, Reviewer);
        await Expect(page.GetByTestId("who")).ToBeVisibleAsync();

        await page.EvaluateAsync("""
            () => {
              const session = JSON.parse(sessionStorage.getItem('tongban.session'))
              sessionStorage.setItem('tongban.session', JSON.stringify({ ...session, expiresAt: Date.now() - 1000 }))
            }
            """);
        await page.GotoAsync("/console/review/first-review");

        await Expect(page.GetByText("登录已过期，请重新登录")).ToBeVisibleAsync();
    }
}
