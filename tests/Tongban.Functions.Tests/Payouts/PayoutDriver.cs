using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Tongban.Domain;
using Tongban.Domain.Payouts;
using Tongban.Domain.Province;
using Tongban.Payouts;
using Tongban.Province;
using Tongban.Tests.Infrastructure;

namespace Tongban.Tests.Payouts;

/// <summary>An insured person with their own card account and mobile, insured 2016-01 to 2026-08 (128 months: 24 months of benefit).</summary>
public sealed record Person(int N, string Name, string City, string Region)
{
    public string IdNumber => People.IdNumber(N, Region);
    public string Account => $"62178561{N:D11}";
    public string Mobile => $"139{N:D8}";

    public string Spell(string start = "2016-01", string end = "2026-08", string reason = "contract-expired") =>
        $"{IdNumber},{Name},{Mobile},{Account},{City},{People.EmployerCode(N)},测试公司{N},{start},{end},{reason}";
}

/// <summary>Drives payouts over HTTP as an administrator would, month by month on a manual clock.</summary>
public sealed class PayoutDriver(TestApp app, ManualClock clock, HttpClient admin) : IAsyncDisposable
{
    public static readonly TimeSpan China = TimeSpan.FromHours(8);

    public TestApp App => app;
    public HttpClient Admin => admin;
    public ProvinceConfig Province { get; } = ProvinceLoader.Load(app.Services.GetRequiredService<IConfiguration>()["Province:Name"] ?? "hainan");

    public static async Task<PayoutDriver> StartAsync(Store store, DateTimeOffset start, params string[] settings)
    {
        var clock = new ManualClock(start);
        var app = await TestApp.StartAsync(store, TestApp.WithClock(clock), settings);
        return new PayoutDriver(app, clock, await app.StaffAsync("admin"));
    }

    /// <summary>Moves the clock to 09:00 China time on the given day, and signs the administrator in again (tokens last an hour).</summary>
    public async Task TodayAsync(int year, int month, int day)
    {
        clock.Set(new DateTimeOffset(year, month, day, 9, 0, 0, China));
        var fresh = await app.StaffAsync("admin");
        admin.DefaultRequestHeaders.Authorization = fresh.DefaultRequestHeaders.Authorization;
        fresh.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        admin.Dispose();
        await app.DisposeAsync();
    }

    /// <summary>The city's benefit standard and the medical-insurance contribution for a month, in fen, from the province's rules.</summary>
    public MonthlyAmounts Amounts(string city, string period) =>
        PaymentAmounts.For(Province.FindCity(city)!, Province.Payouts, YearMonth.Parse(period))!;

    public async Task ImportAsync(params string[] lines)
    {
        var result = await app.ImportAsync(People.Csv(lines));
        Assert.Equal(0, result.GetProperty("rejected").GetArrayLength());
    }

    /// <summary>Submitted at a counter of the insuring city, first and final review there: approved.</summary>
    public async Task<string> ApproveAsync(Person person) => (await ApproveAsync([person]))[0];

    /// <summary>Many people approved side by side; each reviewer signs in once (sign-ins are rate-limited).</summary>
    public async Task<string[]> ApproveAsync(IReadOnlyList<Person> people)
    {
        var reviewers = new ConcurrentDictionary<string, Lazy<Task<HttpClient>>>();
        Task<HttpClient> Reviewer(string username) => reviewers.GetOrAdd(username, u => new Lazy<Task<HttpClient>>(() => app.StaffAsync(u))).Value;
        try
        {
            return await Task.WhenAll(people.Select(async person =>
            {
                var office = person.City + "-01";
                var response = await app.Portal.SubmitAsync(new
                {
                    serviceItem = "unemployment-benefit", channel = "counter", acceptingOffice = office,
                    applicant = new { idNumber = person.IdNumber, name = person.Name, mobile = person.Mobile },
                });
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                var id = (await response.JsonAsync()).GetProperty("applicationId").GetString()!;
                await app.Portal.WaitForStatusAsync(id, "first-review");
                var first = await Reviewer($"{office}-r1");
                Assert.Equal(HttpStatusCode.OK, (await first.PostJsonAsync($"/api/v1/applications/{id}/first-review", new { decision = "approve" })).StatusCode);
                var assigned = (await first.GetJsonAsync($"/api/v1/applications/{id}")).GetProperty("assignedOffice").GetString();
                var final = await Reviewer($"{assigned}-r2");
                Assert.Equal(HttpStatusCode.OK, (await final.PostJsonAsync($"/api/v1/applications/{id}/final-review", new { decision = "approve" })).StatusCode);
                return id;
            }));
        }
        finally
        {
            foreach (var reviewer in reviewers.Values.Where(r => r.IsValueCreated && r.Value.IsCompletedSuccessfully)) reviewer.Value.Result.Dispose();
        }
    }

    public async Task<JsonElement> EntitlementAsync(string applicationId) =>
        (await app.Portal.GetJsonAsync($"/api/v1/applications/{applicationId}")).GetProperty("entitlement");

    /// <summary>Starts the month's run (or finds it) and waits until it has completed.</summary>
    public Task<JsonElement> RunAsync(string period) => RunAsync(admin, period);

    public Task<JsonElement> WaitForRunAsync(string runId) => WaitForRunAsync(admin, runId);

    /// <summary>The same through an administrator's client of any app, also one running as its own process.</summary>
    public static async Task<JsonElement> RunAsync(HttpClient admin, string period)
    {
        var response = await admin.PostJsonAsync("/api/v1/admin/payout-runs", new { period });
        Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await WaitForRunAsync(admin, (await response.JsonAsync()).GetProperty("runId").GetString()!);
    }

    /// <summary>Waits until the run has completed; fails after a minute.</summary>
    public static async Task<JsonElement> WaitForRunAsync(HttpClient admin, string runId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var run = await admin.GetJsonAsync($"/api/v1/admin/payout-runs/{runId}");
            if (run.GetProperty("status").GetString() == "completed") return run;
            if (DateTime.UtcNow > deadline) Assert.Fail($"Run {runId} is still {run.GetProperty("status")} after 60 s.");
            await Task.Delay(50);
        }
    }

    /// <summary>The runs the schedule started by itself (at start-up: this month and the previous one), once they are done.</summary>
    public async Task<JsonElement> ScheduledRunAsync(string period)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var run = (await admin.GetJsonAsync("/api/v1/admin/payout-runs")).EnumerateArray()
                .FirstOrDefault(r => r.GetProperty("period").GetString() == period);
            if (run.ValueKind == JsonValueKind.Object && run.GetProperty("status").GetString() == "completed") return run;
            if (DateTime.UtcNow > deadline) Assert.Fail($"The scheduled run of {period} did not complete in 60 s.");
            await Task.Delay(50);
        }
    }

    /// <summary>A city's bank file of a run, parsed: header, then one row per payment.</summary>
    public async Task<List<string[]>> BankFileAsync(string runId, string city)
    {
        var response = await admin.GetAsync($"/api/v1/admin/payout-runs/{runId}/files/{city}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r').Split(',')).ToList();
    }

    public async Task<HttpResponseMessage> PostReturnsAsync(string runId, string csv) =>
        await admin.PostAsync($"/api/v1/admin/payout-runs/{runId}/returns", new StringContent(csv, Encoding.UTF8, "text/csv"));

    public async Task<JsonElement> ReturnsAsync(string runId, string csv)
    {
        var response = await PostReturnsAsync(runId, csv);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.JsonAsync();
    }

    /// <summary>The bank pays every payment of the run's files.</summary>
    /// <summary>
    /// The bank's return file for a run, every payment paid. Returns come days after a run, when its orchestration has long
    /// finished; imported while it is still delivering the run's SMS, the returns' SMS would be left to the 10-second
    /// sweep (SmsDelivery.DeliverQueuedAsync), which a clock held still never reaches. So this waits for the orchestration
    /// to end first, as the days between would.
    /// </summary>
    public async Task AllPaidAsync(JsonElement run)
    {
        using (var ended = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
            await app.Services.GetRequiredService<DurableTaskClient>().WaitForInstanceCompletionAsync(PayoutRunWorkflows.InstanceId(
                run.GetProperty("period").GetString()!, run.GetProperty("kind").GetString()!, run.GetProperty("sequence").GetInt64()), ended.Token);
        var lines = new List<string>();
        foreach (var file in run.GetProperty("files").EnumerateArray())
            lines.AddRange((await BankFileAsync(run.GetProperty("runId").GetString()!, file.GetProperty("cityCode").GetString()!)).Skip(1)
                .Select(row => $"{row[0]},paid,"));
        var result = await ReturnsAsync(run.GetProperty("runId").GetString()!, "reference,status,reason\n" + string.Join("\n", lines) + "\n");
        Assert.Equal(0, result.GetProperty("rejected").GetArrayLength());
    }

    public async Task<List<JsonElement>> PaymentsAsync(string applicationId) =>
        (await app.Portal.GetJsonAsync($"/api/v1/applications/{applicationId}/payments")).EnumerateArray().ToList();

    public async Task<Dictionary<string, (decimal Debit, decimal Credit, decimal Balance)>> FundAsync(string city)
    {
        var fund = await admin.GetJsonAsync($"/api/v1/admin/funds/{city}");
        Assert.True(fund.GetProperty("balanced").GetBoolean());
        return fund.GetProperty("accounts").EnumerateArray().ToDictionary(a => a.GetProperty("account").GetString()!,
            a => (a.GetProperty("debit").GetDecimal(), a.GetProperty("credit").GetDecimal(), a.GetProperty("balance").GetDecimal()));
    }

    public async Task<List<JsonElement>> SmsAsync(string applicationId, string template)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var sms = (await admin.GetJsonAsync($"/api/v1/admin/notifications?applicationId={applicationId}")).EnumerateArray()
                .Where(s => s.GetProperty("template").GetString() == template).ToList();
            if (sms.Count > 0 && sms.All(s => s.GetProperty("status").GetString() == "sent")) return sms;
            if (DateTime.UtcNow > deadline) Assert.Fail($"No sent '{template}' SMS for {applicationId} in 30 s.");
            await Task.Delay(50);
        }
    }

    public static decimal Yuan(long fen) => fen / 100m;
}
