using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Tongban.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Tongban.Tests.StaffConsole;

/// <summary>Administrators' pages in a real browser against the real service.</summary>
public sealed class AdministratorConsoleSpec(ConsoleFixture console) : IClassFixture<ConsoleFixture>
{
    private async Task<IPage> SignInAsync()
    {
        var page = await console.NewPageAsync();
        await page.GotoAsync("/console/");
        await page.GetByLabel("用户名").FillAsync("admin");
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(TestApp.Password);
        await page.GetByLabel("密码", new() { Exact = true }).PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex("/console/dashboard"));
        await Expect(page.GetByTestId("kpi-applications")).ToBeVisibleAsync();
        return page;
    }

    [Fact]
    public async Task A_registry_file_with_a_bad_line_lands_its_good_lines_and_reports_the_bad_one_by_number_and_column()
    {
        var page = await SignInAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "参保数据导入" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/admin/registry-import$"));

        // Line 2 (after the header) is good; line 3 has a mobile no carrier assigns.
        var csv = People.Csv(People.EligibleInSanya(451, "郑好"), People.Spell(People.IdNumber(452), "钱错", "460200", 452, "2018-01", "2026-08",
            "contract-expired", mobile: "12345678901"));
        await page.GetByLabel("导入文件").SetInputFilesAsync(new FilePayload
        {
            Name = "people.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "开始导入" }).ClickAsync();

        await Expect(page.GetByTestId("import-summary")).ToContainTextAsync("导入完成：新增 1 条，更新 0 条，1 行有误未导入");
        var rows = page.Locator("[data-test=import-rejected] .el-table__body tr");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("3");
        await Expect(rows.First).ToContainTextAsync("手机号码（mobile）");
        await Expect(rows.First).ToContainTextAsync("not a mainland mobile number");
        await ConsoleFixture.ScreenshotAsync(page, "registry-import");

        // What the page reported is what the API did: importing the same file again changes nothing and refuses line 3 again.
        var again = await console.App.ImportAsync(csv);
        Assert.Equal(0, again.GetProperty("imported").GetInt32());
        Assert.Equal(3, again.GetProperty("rejected")[0].GetProperty("line").GetInt32());
    }

    [Fact]
    public async Task The_payout_runs_are_listed_with_their_totals_as_the_API_returns_them()
    {
        using var admin = await console.App.StaffAsync("admin");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonElement runs;
        // The schedule starts last month's and this month's runs when the service starts; the list is steady once both completed.
        bool Settled(JsonElement list) =>
            list.GetArrayLength() >= 2 && list.EnumerateArray().All(r => r.GetProperty("status").GetString() == "completed");
        while (!Settled(runs = await admin.GetJsonAsync("/api/v1/admin/payout-runs")) && DateTime.UtcNow < deadline)
            await Task.Delay(200);
        Assert.True(Settled(runs), runs.ToString());
        var page = await SignInAsync();

        await page.GetByRole(AriaRole.Menuitem, new() { Name = "待遇发放批次" }).ClickAsync();

        var rows = page.Locator("[data-test=payout-runs] > .el-table__inner-wrapper > .el-table__body-wrapper tr.el-table__row");
        await Expect(rows).ToHaveCountAsync(runs.GetArrayLength());
        var first = runs[0];
        var period = first.GetProperty("period").GetString()!;
        var name = $"{period[..4]}年{int.Parse(period[5..])}月 " + (first.GetProperty("kind").GetString() == "monthly"
            ? "月度发放" : $"第{first.GetProperty("sequence").GetInt32()}次补发");
        await Expect(rows.First).ToContainTextAsync(name);
        await Expect(rows.First).ToContainTextAsync($"{first.GetProperty("totalAmount").GetDecimal():N2} 元");
    }

    [Fact]
    public async Task The_recovery_cases_page_lists_what_the_API_returns_for_each_status()
    {
        using var admin = await console.App.StaffAsync("admin");
        var open = await admin.GetJsonAsync("/api/v1/admin/recovery-cases?status=open");
        var page = await SignInAsync();

        await page.GetByRole(AriaRole.Menuitem, new() { Name = "待遇追回" }).ClickAsync();

        var rows = page.Locator("[data-test=recovery-cases] > .el-table__inner-wrapper > .el-table__body-wrapper tr.el-table__row");
        await Expect(rows).ToHaveCountAsync(open.GetArrayLength());
        if (open.GetArrayLength() == 0) await Expect(page.GetByText("暂无追回案件")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
        await page.GetByText("全部", new() { Exact = true }).ClickAsync();
        await Expect(rows).ToHaveCountAsync((await admin.GetJsonAsync("/api/v1/admin/recovery-cases")).GetArrayLength());
    }

    [Fact]
    public async Task The_fund_ledger_shows_a_citys_books_as_the_API_returns_them()
    {
        using var admin = await console.App.StaffAsync("admin");
        var city = (await console.App.Anonymous.GetJsonAsync("/api/v1/reference/cities"))[1];
        var fund = await admin.GetJsonAsync($"/api/v1/admin/funds/{city.GetProperty("code").GetString()}");
        var page = await SignInAsync();

        await page.GetByRole(AriaRole.Menuitem, new() { Name = "基金账务" }).ClickAsync();
        await page.GetByTestId("fund-city").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = city.GetProperty("name").GetString()! }).ClickAsync();

        await Expect(page.GetByTestId("fund-totals")).ToContainTextAsync($"借方合计 {fund.GetProperty("debits").GetDecimal():N2} 元");
        await Expect(page.GetByTestId("fund-totals")).ToContainTextAsync(fund.GetProperty("balanced").GetBoolean() ? "借贷平衡" : "借贷不平衡");
        await Expect(page.Locator("[data-test=fund-accounts] .el-table__body tr")).ToHaveCountAsync(fund.GetProperty("accounts").GetArrayLength());
    }

    [Fact]
    public async Task The_SMS_log_shows_an_applications_messages_masked_with_their_delivery_status()
    {
        var (id, caseNumber) = console.Applications[0];
        using var admin = await console.App.StaffAsync("admin");
        var sms = await admin.GetJsonAsync($"/api/v1/admin/notifications?applicationId={id}");
        var page = await SignInAsync();

        await page.GetByRole(AriaRole.Menuitem, new() { Name = "短信记录" }).ClickAsync();
        await page.GetByLabel("申请 ID").FillAsync("not-an-id");
        await page.GetByLabel("申请 ID").PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("申请编号格式不正确");
        await page.GetByLabel("申请 ID").FillAsync(id);
        await page.GetByRole(AriaRole.Button, new() { Name = "查询" }).ClickAsync();

        var rows = page.Locator("[data-test=sms-log] .el-table__body tr");
        await Expect(rows).ToHaveCountAsync(sms.GetArrayLength());
        await Expect(rows.First).ToContainTextAsync(caseNumber);
        await Expect(rows.First).ToContainTextAsync(sms[0].GetProperty("to").GetString()!);
        await Expect(page.GetByTestId("sms-summary")).ToContainTextAsync($"共 {sms.GetArrayLength()} 条");
    }
}
