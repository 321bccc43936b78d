using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Tongban.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Tongban.Tests.StaffConsole;

/// <summary>The administrator's outreach page (主动服务) in a real browser against the real service.</summary>
public sealed class OutreachConsoleSpec(ConsoleFixture console) : IClassFixture<ConsoleFixture>
{
    private async Task<List<JsonElement>> CampaignsAsync(HttpClient admin) =>
        (await admin.GetJsonAsync("/api/v1/admin/outreach-campaigns")).EnumerateArray().ToList();

    [Fact]
    public async Task An_administrator_starts_a_campaign_and_sees_its_counts_as_the_API_returns_them()
    {
        var page = await console.NewPageAsync();
        using var admin = await console.App.StaffAsync("admin");
        // One insured person eligible who has not applied (the fixture's four have applied).
        await console.App.ImportAsync(People.Csv(People.EligibleInSanya(461, "郑外")));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await CampaignsAsync(admin)).Any(c => c.GetProperty("status").GetString() != "completed"))
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("The month's campaign did not complete in 60 s.");
            await Task.Delay(100);
        }

        await ConsoleFixture.SignInAsync(page, "admin");
        await Expect(page).ToHaveURLAsync(new Regex("/console/dashboard"));
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "主动服务" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/admin/outreach-campaigns$"));
        await page.GetByTestId("start-campaign").ClickAsync();

        var manual = page.Locator("[data-test=campaigns] .el-table__body tr", new() { HasText = "手动发起" });
        await Expect(manual).ToContainTextAsync("已完成");
        var campaign = (await CampaignsAsync(admin)).Single(c => c.GetProperty("period").ValueKind == JsonValueKind.Null);
        Assert.Equal(1, campaign.GetProperty("found").GetInt64());
        Assert.Equal(1, campaign.GetProperty("delivered").GetInt64());
        var cells = manual.Locator("td");
        await Expect(cells.Nth(4)).ToHaveTextAsync(campaign.GetProperty("found").GetInt64().ToString());
        await Expect(cells.Nth(5)).ToHaveTextAsync(campaign.GetProperty("sent").GetInt64().ToString());
        await Expect(cells.Nth(6)).ToHaveTextAsync(campaign.GetProperty("delivered").GetInt64().ToString());
        await Expect(cells.Nth(7)).ToHaveTextAsync("100%");
        await Expect(cells.Nth(8)).ToHaveTextAsync("0");
        await ConsoleFixture.ScreenshotAsync(page, "outreach-campaigns");
    }
}
