using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Tongban.Domain.Claims;
using Tongban.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Tongban.Tests.StaffConsole;

/// <summary>
/// A reviewer of the insuring city decides a cross-province match in the console, in a real browser against the real
/// service: 黎一 is approved (first review in Haikou, final review in Sanya), the comparison result shows him insured in
/// Guangdong since the 1st of this month, his benefit is held; the Sanya reviewer reads the evidence and confirms it.
/// </summary>
public sealed class CrossCheckConsoleSpec(ConsoleFixture console) : IClassFixture<ConsoleFixture>
{
    [Fact]
    public async Task A_reviewer_of_the_insuring_city_confirms_a_match_with_an_opinion_and_the_claim_stops()
    {
        var page = await console.NewPageAsync();
        var (id, caseNumber) = console.Applications[0];
        using (var haikou = await console.App.StaffAsync("460100-01-r1"))
            Assert.Equal(HttpStatusCode.OK, (await haikou.PostJsonAsync($"/api/v1/applications/{id}/first-review", new { decision = "approve" })).StatusCode);
        var sanyaOffice = (await console.ApplicationAsync(id)).GetProperty("assignedOffice").GetString();
        using (var sanya = await console.App.StaffAsync($"{sanyaOffice}-r2"))
            Assert.Equal(HttpStatusCode.OK, (await sanya.PostJsonAsync($"/api/v1/applications/{id}/final-review", new { decision = "approve" })).StatusCode);
        var since = Deadlines.LocalDate(DateTimeOffset.UtcNow) is var today ? new DateOnly(today.Year, today.Month, 1).ToString("yyyy-MM-dd") : "";
        using (var admin = await console.App.StaffAsync("admin"))
        {
            var imported = await admin.PostAsync("/api/v1/admin/cross-checks", new StringContent(
                $"idNumber,name,province,kind,since,until\n{People.IdNumber(401)},黎一,广东省,insured,{since},\n", Encoding.UTF8, "text/csv"));
            Assert.Equal(1, (await imported.JsonAsync()).GetProperty("suspended").GetInt32());
        }

        await ConsoleFixture.SignInAsync(page, $"{sanyaOffice}-r1");
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "比对核查" }).ClickAsync();

        var row = page.Locator("[data-test=cross-checks] .el-table__body tr").Filter(new() { HasText = caseNumber });
        await Expect(row).ToContainTextAsync("广东省 参加社会保险");
        await Expect(row).ToContainTextAsync("黎*");
        await row.GetByRole(AriaRole.Button, new() { Name = "核实" }).ClickAsync();
        var dialog = page.GetByTestId("decide");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "提交" }).ClickAsync();
        await Expect(dialog.Locator(".el-form-item__error").First).ToHaveTextAsync("请选择核实结论");
        await dialog.Locator("label.el-radio-button", new() { HasTextRegex = new Regex("确认属实") }).ClickAsync();
        await dialog.GetByLabel("核实意见").FillAsync("经广东社保查询，已在当地参保就业，属实");
        await ConsoleFixture.ScreenshotAsync(page, "cross-check-decide");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "提交" }).ClickAsync();

        await Expect(page.GetByText($"{caseNumber}：确认属实，停发")).ToBeVisibleAsync();
        await Expect(row).ToHaveCountAsync(0);
        var application = await console.ApplicationAsync(id);
        Assert.Equal("terminated", application.GetProperty("status").GetString());
        Assert.Contains(application.GetProperty("history").EnumerateArray(), h => h.GetProperty("type").GetString() == "cross-check-confirmed");
    }
}
