using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Tongban.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Tongban.Tests.StaffConsole;

/// <summary>
/// Supervisors and administrators open the dashboard in a real browser against the real service: what it shows are the
/// figures the API returns for the same scope and period (the fixture's four counter applications, insured in Sanya).
/// </summary>
public sealed class DashboardConsoleSpec(ConsoleFixture console) : IClassFixture<ConsoleFixture>
{
    private static async Task SignInAsync(IPage page, string username)
    {
        await page.GotoAsync("/console/");
        await page.GetByLabel("用户名").FillAsync(username);
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(TestApp.Password);
        await page.GetByLabel("密码", new() { Exact = true }).PressAsync("Enter");
    }

    private static string Rate(JsonElement rate) =>
        rate.ValueKind == JsonValueKind.Null ? "—" : (rate.GetDouble() * 100).ToString("F1", CultureInfo.InvariantCulture) + "%";

    private async Task ExpectFiguresAsync(IPage page, JsonElement dashboard)
    {
        var applications = dashboard.GetProperty("applications");
        await Expect(page.GetByTestId("kpi-applications")).ToContainTextAsync(applications.GetProperty("total").GetInt32().ToString());
        await Expect(page.GetByTestId("kpi-applications")).ToContainTextAsync(
            $"网上 {applications.GetProperty("online").GetInt32()} · 窗口 {applications.GetProperty("counter").GetInt32()}");
        await Expect(page.GetByTestId("kpi-online-share")).ToContainTextAsync(Rate(applications.GetProperty("onlineShare")));
        var decisions = dashboard.GetProperty("decisions");
        await Expect(page.GetByTestId("kpi-completion")).ToContainTextAsync(Rate(decisions.GetProperty("completionRate")));
        await Expect(page.GetByTestId("kpi-completion")).ToContainTextAsync($"办结 {decisions.GetProperty("decided").GetInt32()} 件");
    }

    [Fact]
    public async Task An_administrator_sees_the_provinces_figures_and_a_citys_as_the_API_returns_them()
    {
        var page = await console.NewPageAsync();
        await SignInAsync(page, "admin");

        await Expect(page).ToHaveURLAsync(new Regex("/console/dashboard"));
        using var admin = await console.App.StaffAsync("admin");
        var province = await admin.GetJsonAsync("/api/v1/dashboard");
        Assert.Equal(console.Applications.Count, province.GetProperty("applications").GetProperty("total").GetInt32());
        await ExpectFiguresAsync(page, province);
        var monthly = page.GetByTestId("chart-monthly");
        await monthly.GetByRole(AriaRole.Tab, new() { Name = "数据" }).ClickAsync();
        var month = province.GetProperty("monthly").EnumerateArray().Last();
        await Expect(monthly.Locator(".el-table__body tr").Last).ToContainTextAsync(
            $"{month.GetProperty("month").GetString()}{month.GetProperty("online").GetInt32()}{month.GetProperty("counter").GetInt32()}{month.GetProperty("total").GetInt32()}");
        await monthly.GetByRole(AriaRole.Tab, new() { Name = "图表" }).ClickAsync();
        await ConsoleFixture.ScreenshotAsync(page, "dashboard");
        await ConsoleFixture.DocsScreenshotAsync(page, "console-dashboard");

        var download = await page.RunAndWaitForDownloadAsync(() => monthly.GetByRole(AriaRole.Button, new() { Name = "下载 CSV" }).ClickAsync());
        Assert.StartsWith("月度申请量_全省_", download.SuggestedFilename);
        var bytes = await File.ReadAllBytesAsync(await download.PathAsync());
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        Assert.Contains($"{month.GetProperty("month").GetString()},{month.GetProperty("online").GetInt32()},{month.GetProperty("counter").GetInt32()}",
            System.Text.Encoding.UTF8.GetString(bytes));

        await page.GetByTestId("scope").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "海口市" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "统计看板 · 海口市" })).ToBeVisibleAsync();
        var haikou = await admin.GetJsonAsync("/api/v1/dashboard?city=460100");
        await ExpectFiguresAsync(page, haikou);
    }

    [Fact]
    public async Task A_supervisor_sees_their_citys_dashboard_and_a_reviewer_is_not_offered_it()
    {
        var page = await console.NewPageAsync();
        await SignInAsync(page, "460200-sup");
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "统计看板" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "统计看板 · 三亚市" })).ToBeVisibleAsync();
        using var supervisor = await console.App.StaffAsync("460200-sup");
        await ExpectFiguresAsync(page, await supervisor.GetJsonAsync("/api/v1/dashboard"));
        await Expect(page.GetByTestId("scope")).ToHaveCountAsync(0);

        var reviewer = await console.NewPageAsync();
        await SignInAsync(reviewer, "460200-01-r1");
        await Expect(reviewer).ToHaveURLAsync(new Regex("/console/review/first-review$"));
        await Expect(reviewer.GetByRole(AriaRole.Menuitem, new() { Name = "统计看板" })).ToHaveCountAsync(0);
        await reviewer.GotoAsync("/console/dashboard");
        await Expect(reviewer).ToHaveURLAsync(new Regex("/console/review/first-review$"));
    }
}
