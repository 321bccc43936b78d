using System.Diagnostics;
using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tongban.Domain;
using Tongban.Domain.Claims;
using Tongban.Hosting;
using Tongban.Notifications;
using Tongban.Outreach;
using Tongban.PersonalData;
using Tongban.Storage;

namespace Tongban.Bench;

/// <summary>
/// An outreach campaign (主动服务) over N insured people seeded set-based: per hundred, 6 eligible for the benefit who
/// have not applied (the ones to find), 1 eligible who applied, 2 who resigned, 1 who ended involuntarily after seven
/// months (a candidate the rule refuses), 90 still contributing. Timed: finding (every chunk step, the eligibility
/// rule on each candidate, recipients and SMS queued) and then delivering the SMS through the local sink. Memory is
/// sampled during the campaign, so the seeding does not count.
/// </summary>
public static class OutreachBenchmark
{
    private static readonly string[] Cities = ["460100", "460200", "460300", "460400", "469001"];

    public static async Task RunAsync(string provider, int people, string? postgres)
    {
        await using var store = await BenchStore.CreateAsync(provider, postgres, b => b.CommandTimeout = 600);
        var encryption = RandomNumberGenerator.GetBytes(32);
        var index = RandomNumberGenerator.GetBytes(32);
        await using var app = await TongbanApp.BuildAsync([
            $"--Database:Provider={provider}", $"--ConnectionStrings:Tongban={store.ConnectionString}",
            $"--PersonalData:EncryptionKey={Convert.ToBase64String(encryption)}", $"--PersonalData:IndexKey={Convert.ToBase64String(index)}",
            "--Demo:Enabled=false", "--Durable:InProcess=false", $"--Archive:Path={Path.Combine(store.Folder, "archive")}",
            $"--Sms:OutboxPath={Path.Combine(store.Folder, "sms-outbox.jsonl")}", "--Logging:LogLevel:Default=Warning",
        ]);
        var db = app.Services.GetRequiredService<Database>();
        var month = YearMonth.Of(Deadlines.LocalDate(DateTimeOffset.UtcNow));
        var seed = Stopwatch.StartNew();
        await SeedAsync(db, new PersonalDataProtector(encryption, index), people, month);
        Console.WriteLine($"[{provider}] seeded {people:N0} insured people in {seed.Elapsed.TotalSeconds:F1} s");

        GC.Collect();
        var process = Process.GetCurrentProcess();
        long peakWorkingSet = 0, peakHeap = 0;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                process.Refresh();
                peakWorkingSet = Math.Max(peakWorkingSet, process.WorkingSet64);
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                await Task.Delay(20);
            }
        });

        var campaigns = app.Services.GetRequiredService<OutreachCampaigns>();
        var watch = Stopwatch.StartNew();
        var (campaign, _) = await campaigns.StartAsync(ServiceItems.UnemploymentBenefit, "bench", CancellationToken.None);
        CampaignSnapshot step;
        do step = await campaigns.FindChunkAsync(campaign.Id, CancellationToken.None);
        while (step.Status == CampaignStatus.Finding);
        var found = watch.Elapsed;
        var sms = app.Services.GetRequiredService<SmsDelivery>();
        for (long? after = 0; after is { } from;)
            after = await sms.DeliverForCampaignAsync(campaign.Id, from, OutreachCampaigns.SmsBatch, CancellationToken.None);
        await campaigns.CompleteAsync(campaign.Id, CancellationToken.None);
        var wall = watch.Elapsed;
        await sampling.CancelAsync();
        await sampler;

        await using (var c = await db.OpenAsync())
        {
            var view = (await OutreachCampaigns.ViewsAsync(c, null, campaign.Id)).Single();
            var expected = Enumerable.Range(1, people).Count(i => i % 100 < 6);
            if (view.Found != expected || view.Sent != expected || view.Delivered != expected)
                throw new InvalidOperationException($"Found {view.Found}, sent {view.Sent}, delivered {view.Delivered}; expected {expected}.");
            Console.WriteLine($"[{provider}] campaign over {people:N0} insured people: {view.Found:N0} found in {found.TotalSeconds:F2} s " +
                              $"({step.Chunks} chunks), their SMS delivered through the local sink in {(wall - found).TotalSeconds:F2} s; {wall.TotalSeconds:F2} s wall");
        }
        Console.WriteLine($"[{provider}] memory during the campaign: peak working set {peakWorkingSet / 1048576.0:F0} MB, peak managed heap " +
                          $"{peakHeap / 1048576.0:F0} MB, {(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 1048576.0:F0} MB allocated");
    }

    /// <summary>Persons, their spells and the applications of those who applied: one INSERT … SELECT each over generated numbers.</summary>
    private static async Task SeedAsync(Database db, PersonalDataProtector protector, int count, YearMonth now)
    {
        var postgres = db.Provider == DatabaseProvider.Postgres;
        var numbers = postgres ? "generate_series(1, @count) AS n(i)" : "n";
        var with = postgres ? "" : "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @count)";
        var city = "CASE n.i % 5 " + string.Join(" ", Cities.Select((c, i) => $"WHEN {i} THEN '{c}'")) + " END";
        var args = new
        {
            count, idEnc = protector.Encrypt("460200198503150011"), nameEnc = protector.Encrypt("王小明"),
            mobileEnc = protector.Encrypt("13800138000"), accountEnc = protector.Encrypt("6217856100012345678"),
            start = now.AddMonths(-60).ToString(), shortStart = now.AddMonths(-9).ToString(), end = now.AddMonths(-3).ToString(),
            at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        };
        await db.InTransactionAsync(async (c, t) =>
        {
            await c.ExecuteAsync(
                $"""
                 {with}
                 INSERT INTO persons (person_key, id_number_enc, name_enc, mobile_enc, bank_account_enc, contact_hash, updated_at)
                 SELECT 'bench-' || n.i, @idEnc, @nameEnc, @mobileEnc, @accountEnc, 'bench', @at FROM {numbers}
                 """, args, t, commandTimeout: 1200);
            await c.ExecuteAsync(
                $"""
                 {with}
                 INSERT INTO contribution_spells (person_key, employer_code, start_month, end_month, city_code, employer_name, separation_reason, updated_at)
                 SELECT 'bench-' || n.i, 'E' || (n.i % 1000), CASE WHEN n.i % 100 = 9 THEN @shortStart ELSE @start END,
                        CASE WHEN n.i % 100 < 10 THEN @end END, {city}, 'bench',
                        CASE WHEN n.i % 100 IN (7, 8) THEN 'resigned' WHEN n.i % 100 < 10 THEN 'contract-expired' END, @at
                 FROM {numbers}
                 """, args, t, commandTimeout: 1200);
            await c.ExecuteAsync(
                $"""
                 {with}
                 INSERT INTO applications (id, case_number, service_item, channel, status, is_open, person_key, id_number_enc, name_enc,
                     mobile_enc, portal_id, received_at, updated_at, version)
                 SELECT 'bench-app-' || n.i, 'BENCH-' || n.i, 'unemployment-benefit', 'online', 'first-review', 1, 'bench-' || n.i, @idEnc, @nameEnc,
                     @mobileEnc, 'bench', @at, @at, 1
                 FROM {numbers} WHERE n.i % 100 = 6
                 """, args, t, commandTimeout: 1200);
        });
        await using var connection = await db.OpenAsync();
        await connection.ExecuteAsync(postgres ? "VACUUM ANALYZE" : "ANALYZE", commandTimeout: 1200, commandType: System.Data.CommandType.Text);
    }
}
