using System.Text.Json;
using Microsoft.Playwright;
using Tongban.Tests.Infrastructure;

namespace Tongban.Tests.StaffConsole;

/// <summary>
/// One real service serving the built console, with four counter applications from Haikou in first review, and one
/// headless Debian Chromium, shared by every browser test of a class. Without <c>/usr/bin/chromium</c> the tests skip,
/// except under CI (CI=true), where they must run and fail instead.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    /// <summary>Debian's Chromium: the tests never download a browser.</summary>
    public const string Chromium = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    private TestApp? _app;

    private readonly List<(string Id, string CaseNumber)> _applications = [];

    /// <summary>The app the browser talks to; a test that reaches for it without Chromium skips (fails under CI).</summary>
    public TestApp App
    {
        get
        {
            RequireBrowser();
            return _app!;
        }
    }

    /// <summary>The four applications, oldest first: (applicationId, caseNumber).</summary>
    public IReadOnlyList<(string Id, string CaseNumber)> Applications
    {
        get
        {
            RequireBrowser();
            return _applications;
        }
    }

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(Chromium)) return;
        _app = await TestApp.StartAsync(Store.Sqlite);
        (int N, string Name)[] people = [(401, "黎一"), (402, "符二"), (403, "吴三"), (404, "王四")];
        await _app.ImportAsync(People.Csv([.. people.Select(p => People.EligibleInSanya(p.N, p.Name))]));
        foreach (var (n, name) in people)
        {
            var submitted = await (await _app.Portal.SubmitAsync(People.Application(People.IdNumber(n), name))).JsonAsync();
            var id = submitted.GetProperty("applicationId").GetString()!;
            await _app.Portal.WaitForStatusAsync(id, "first-review");
            _applications.Add((id, submitted.GetProperty("caseNumber").GetString()!));
        }
        _playwright = await Playwright.CreateAsync();
        _playwright.Selectors.SetTestIdAttribute("data-test");
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        Assertions.SetDefaultExpectTimeout(15_000);
    }

    /// <summary>A fresh browser context (its own sessionStorage) at 1366×768, the smallest screen offices use.</summary>
    public async Task<IPage> NewPageAsync()
    {
        RequireBrowser();
        var context = await _browser!.NewContextAsync(new()
        {
            BaseURL = App.Address.ToString(), ViewportSize = new() { Width = 1366, Height = 768 }, Locale = "zh-CN",
        });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    private void RequireBrowser()
    {
        if (_browser is not null) return;
        var missing = $"The console tests need Debian's Chromium at {Chromium} (apt-get install chromium).";
        if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail(missing);
        Assert.Skip(missing);
    }

    /// <summary>Signs <paramref name="username"/> in at the console's front door, by keyboard (Enter).</summary>
    public static async Task SignInAsync(IPage page, string username)
    {
        await page.GotoAsync("/console/");
        await page.GetByLabel("用户名").FillAsync(username);
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(TestApp.Password);
        await page.GetByLabel("密码", new() { Exact = true }).PressAsync("Enter");
    }

    /// <summary>Saves what the page shows with the test output (screenshots/), for a person to look at after a run.</summary>
    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", name + ".png"), FullPage = true });

    /// <summary>Saves what the page shows as the README's picture of it: docs/{name}.png in the repository.</summary>
    public static Task DocsScreenshotAsync(IPage page, string name)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Tongban.sln"))) root = root.Parent;
        var folder = root is null ? Path.Combine(AppContext.BaseDirectory, "screenshots") : Path.Combine(root.FullName, "docs");
        return page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png") });
    }

    public async Task<JsonElement> ApplicationAsync(string id)
    {
        using var staff = await App.StaffAsync("admin");
        return await staff.GetJsonAsync($"/api/v1/applications/{id}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        if (_app is not null) await _app.DisposeAsync();
    }
}
