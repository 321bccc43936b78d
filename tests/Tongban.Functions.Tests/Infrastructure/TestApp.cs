using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Tongban.Hosting;

namespace Tongban.Tests.Infrastructure;

/// <summary>
/// The real app on a real Kestrel port (127.0.0.1, port chosen by the OS) over a fresh database,
/// seeded with the Hainan accounts (no generated people: tests import their own).
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    public const string PortalKey = "test-portal-key";
    public const string Password = "test-password";
    private static readonly string EncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string IndexKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private readonly WebApplication _app;
    private readonly bool _ownsStore;

    private TestApp(WebApplication app, TestStore store, Uri address, bool ownsStore = true)
    {
        _app = app;
        _ownsStore = ownsStore;
        Store = store;
        Address = address;
        Anonymous = new HttpClient { BaseAddress = address };
        Portal = new HttpClient { BaseAddress = address };
        Portal.DefaultRequestHeaders.Add("X-Api-Key", PortalKey);
    }

    public TestStore Store { get; }
    public Uri Address { get; }
    public HttpClient Anonymous { get; }
    public HttpClient Portal { get; }
    public IServiceProvider Services => _app.Services;

    public static Task<TestApp> StartAsync(Store kind, params string[] settings) => StartAsync(kind, null, settings);

    /// <summary><paramref name="configure"/> runs after the app's own registrations: a test may replace a service.</summary>
    public static async Task<TestApp> StartAsync(Store kind, Action<WebApplicationBuilder>? configure, params string[] settings)
    {
        var store = await TestStore.CreateAsync(kind);
        var app = await TongbanApp.BuildAsync([.. Settings(store), "--urls=http://127.0.0.1:0", .. settings], configure);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestApp(app, store, new Uri(address));
    }

    /// <summary>
    /// A second app on a store another test app already uses (two instances sharing one database); disposing it
    /// leaves the store to its owner.
    /// </summary>
    public static async Task<TestApp> StartOnAsync(TestStore store, Action<WebApplicationBuilder>? configure, params string[] settings)
    {
        var app = await TongbanApp.BuildAsync([.. Settings(store), "--urls=http://127.0.0.1:0", .. settings], configure);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestApp(app, store, new Uri(address), ownsStore: false);
    }

    /// <summary>The protector of every test app's personal data, for tests that write rows directly.</summary>
    public static PersonalData.PersonalDataProtector Protector() =>
        new(Convert.FromBase64String(EncryptionKey), Convert.FromBase64String(IndexKey));

    /// <summary>Replaces the app's clock, to run months in a test (monthly payouts, deadlines).</summary>
    public static Action<WebApplicationBuilder> WithClock(TimeProvider clock) => builder => builder.Services.AddSingleton(clock);

    /// <summary>The settings a test app runs with, also for the app started as a separate process.</summary>
    public static string[] Settings(TestStore store) =>
    [
        $"--Database:Provider={store.Provider}",
        $"--ConnectionStrings:Tongban={store.ConnectionString}",
        $"--PersonalData:EncryptionKey={EncryptionKey}",
        $"--PersonalData:IndexKey={IndexKey}",
        "--Demo:Enabled=true", "--Demo:People=0", $"--Demo:Password={Password}", $"--Demo:PortalKey={PortalKey}",
        $"--Sms:OutboxPath={Path.Combine(store.Folder, "sms-outbox.jsonl")}",
        $"--Archive:Path={Path.Combine(store.Folder, "archive")}",
        "--Logging:LogLevel:Default=Warning",
        // The month's outreach campaign would text every eligible person a test imports, at a moment of the timer's
        // choosing; the outreach specs turn it on.
        "--Outreach:Monthly=false",
    ];

    public Task<HttpClient> StaffAsync(string username) => StaffAsync(Address, username);

    /// <summary>
    /// A staff member's client, signed in at <paramref name="address"/>: this app, or one started as its own process.
    /// Its timeout is five minutes, as an import of a large file takes minutes.
    /// </summary>
    public static async Task<HttpClient> StaffAsync(Uri address, string username)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { username, password = Password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task<JsonElement> ImportAsync(string csv)
    {
        using var admin = await StaffAsync("admin");
        var response = await admin.PostAsync("/api/v1/admin/insured-persons/import", new StringContent(csv, Encoding.UTF8, "text/csv"));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async ValueTask DisposeAsync()
    {
        Anonymous.Dispose();
        Portal.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_ownsStore) await Store.DisposeAsync();
    }
}
