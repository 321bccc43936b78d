using System.Net;
using System.Text.Json;
using Dapper;
using Tongban.Tests.Infrastructure;

namespace Tongban.Tests.Payouts;

/// <summary>
/// The README's payout walkthrough on the demo data: last month's generated applications, approved through the pipeline,
/// are paid by the two runs the schedule starts at start-up; a return file and a back-dated re-employment follow.
/// </summary>
public abstract class DemoWalkthroughSpec(Store store) : IAsyncLifetime
{
    private const int Applications = 48;
    private PayoutDriver _d = null!;

    public async ValueTask InitializeAsync() =>
        _d = await PayoutDriver.StartAsync(store, new DateTimeOffset(2026, 11, 22, 9, 0, 0, PayoutDriver.China),
            "--Demo:People=96", $"--Demo:Applications={Applications}");

    public async ValueTask DisposeAsync() => await _d.DisposeAsync();

    private sealed record Filed(string Id, string Status, long ReceivedAt, string? InsuringCity, string? StartMonth, long? MonthlyFen);

    private async Task<List<Filed>> FiledAsync()
    {
        await using var database = _d.App.Store.Open();
        await using var c = await database.OpenAsync();
        return (await c.QueryAsync<Filed>(
            "SELECT id, status, received_at, insuring_city, start_month, monthly_fen FROM applications ORDER BY received_at")).ToList();
    }

    [Fact]
    public async Task Last_months_demo_claims_are_paid_by_the_two_start_up_runs_then_returned_and_overpaid_as_in_the_README()
    {
        var october = await _d.ScheduledRunAsync("2026-10");
        var november = await _d.ScheduledRunAsync("2026-11");

        var filed = await FiledAsync();
        Assert.Equal(Applications, filed.Count);
        var firstOfOctober = new DateTimeOffset(2026, 10, 1, 0, 0, 0, PayoutDriver.China);
        Assert.All(filed, a => Assert.InRange(DateTimeOffset.FromUnixTimeMilliseconds(a.ReceivedAt), firstOfOctober, firstOfOctober.AddDays(10)));
        Assert.All(filed, a => Assert.Contains(a.Status, new[] { "approved", "rejected" }));
        var approved = filed.Where(a => a.Status == "approved").ToList();
        Assert.NotEmpty(approved);
        Assert.Contains(filed, a => a.Status == "rejected");
        Assert.All(approved, a => Assert.Equal("2026-10", a.StartMonth));

        // Each run pays every approved claim its city's standard for the month.
        foreach (var run in new[] { october, november })
        {
            var period = run.GetProperty("period").GetString()!;
            Assert.Equal(approved.Count, run.GetProperty("payments").GetInt32());
            Assert.Equal(approved.Sum(a => PayoutDriver.Yuan(_d.Amounts(a.InsuringCity!, period).BenefitFen)),
                run.GetProperty("benefitAmount").GetDecimal());
        }

        // The seed approved them without orchestrations; one the start-up reconciler gave a claim before the runs issued
        // it ends once its first payment is in a bank file, and no claim is left needing one.
        var reconciler = _d.App.Services.GetRequiredService<Tongban.Applications.WorkflowReconciler>();
        var durable = _d.App.Services.GetRequiredService<Microsoft.DurableTask.Client.DurableTaskClient>();
        Assert.DoesNotContain(await reconciler.MissingAsync(durable, CancellationToken.None), m => approved.Any(a => a.Id == m.Id));
        foreach (var claim in approved)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            JsonElement workflow;
            while ((workflow = (await _d.App.Portal.GetJsonAsync($"/api/v1/applications/{claim.Id}")).GetProperty("workflow"))
                   .GetProperty("runtimeStatus").GetString() is not ("None" or "Completed"))
            {
                if (DateTime.UtcNow > deadline) Assert.Fail($"The orchestration of {claim.Id} is still {workflow}.");
                await Task.Delay(50);
            }
            if (workflow.GetProperty("runtimeStatus").GetString() == "Completed")
                Assert.Equal("first-payment-issued", workflow.GetProperty("customStatus").GetProperty("step").GetString());
        }

        // The history is the pipeline's, dated in October: reviewed at two levels by two people.
        var sample = await _d.App.Portal.GetJsonAsync($"/api/v1/applications/{approved[0].Id}");
        var history = sample.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(["first-review-approved", "routed", "final-review-approved"],
            history.Select(h => h.GetProperty("type").GetString()).Where(t => t is "first-review-approved" or "routed" or "final-review-approved"));
        Assert.All(history, h => Assert.Equal(10, h.GetProperty("at").GetDateTimeOffset().ToOffset(PayoutDriver.China).Month));
        var reviewers = history.Where(h => h.GetProperty("type").GetString()!.EndsWith("-review-approved"))
            .Select(h => h.GetProperty("actor").GetString()).ToList();
        Assert.Equal(2, reviewers.Distinct().Count());
        Assert.NotEmpty(await _d.SmsAsync(approved[0].Id, "approved"));

        // The bank returns October's first line and pays the rest.
        var runId = october.GetProperty("runId").GetString()!;
        var city = october.GetProperty("files")[0].GetProperty("cityCode").GetString()!;
        var lines = (await _d.BankFileAsync(runId, city)).Skip(1).ToList();
        Assert.True(lines.Count >= 2, "The walkthrough needs two payments in the first city's file.");
        var returns = "reference,status,reason\n" + $"{lines[0][0]},returned,账户已销户\n" +
                      string.Join("\n", lines.Skip(1).Select(l => $"{l[0]},paid,")) + "\n";
        var result = await _d.ReturnsAsync(runId, returns);
        Assert.Equal(lines.Count - 1, result.GetProperty("paid").GetInt32());
        Assert.Equal(1, result.GetProperty("returned").GetInt32());
        var returned = Assert.Single((await _d.Admin.GetJsonAsync($"/api/v1/admin/payments?reference={lines[0][0]}")).EnumerateArray());
        Assert.Equal("returned", returned.GetProperty("status").GetString());

        // Re-employed on 15 October, reported at any office: November's payment was not owed.
        var paid = Assert.Single((await _d.Admin.GetJsonAsync($"/api/v1/admin/payments?reference={lines[1][0]}")).EnumerateArray());
        Assert.Equal("paid", paid.GetProperty("status").GetString());
        var applicationId = paid.GetProperty("applicationId").GetString()!;
        using var reviewer = await _d.App.StaffAsync("460100-01-r1");
        var stop = await reviewer.PostJsonAsync($"/api/v1/applications/{applicationId}/events", new { type = "reemployed", date = "2026-10-15" });
        Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        var payments = await _d.PaymentsAsync(applicationId);
        Assert.Equal(["paid", "overpaid"], payments.Select(p => p.GetProperty("status").GetString()));
        var recovery = Assert.Single((await _d.Admin.GetJsonAsync($"/api/v1/admin/recovery-cases?applicationId={applicationId}")).EnumerateArray());
        Assert.Equal("2026-11", recovery.GetProperty("period").GetString());
        Assert.Equal(payments[1].GetProperty("amount").GetDecimal(), recovery.GetProperty("amount").GetDecimal());
        await _d.FundAsync(city);
    }

    [Fact]
    public async Task A_payment_is_looked_up_by_its_bank_reference_and_the_query_needs_one_filter()
    {
        var october = await _d.ScheduledRunAsync("2026-10");
        var runId = october.GetProperty("runId").GetString()!;
        var line = (await _d.BankFileAsync(runId, october.GetProperty("files")[0].GetProperty("cityCode").GetString()!))[1];

        var found = Assert.Single((await _d.Admin.GetJsonAsync($"/api/v1/admin/payments?reference={line[0]}")).EnumerateArray());
        Assert.Equal("sent", found.GetProperty("status").GetString());
        Assert.Equal(decimal.Parse(line[3]), found.GetProperty("amount").GetDecimal());
        Assert.Empty((await _d.Admin.GetJsonAsync("/api/v1/admin/payments?reference=202610B01ffffffffffffffffffffffffffffffff")).EnumerateArray());
        foreach (var query in new[] { "", "?flagged=true&reference=" + line[0], "?flagged=false" })
        {
            var response = await _d.Admin.GetAsync("/api/v1/admin/payments" + query);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }
}

public sealed class DemoWalkthroughOnSqlite() : DemoWalkthroughSpec(Store.Sqlite);

public sealed class DemoWalkthroughOnPostgres() : DemoWalkthroughSpec(Store.Postgres);
