using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Tongban.Domain;
using Tongban.Domain.Claims;
using Tongban.Domain.Province;
using Tongban.Domain.Registry;
using Tongban.Intake;
using Tongban.PersonalData;
using Tongban.Review;
using Tongban.Storage;
using Tongban.Applications;
using Tongban.Notifications;
using Tongban.Verification;

namespace Tongban.Hosting;

/// <summary>A clock the demo seed sets by hand while it replays last month.</summary>
public sealed class DemoClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>
/// Last month's caseload, so that a demo has claims to pay: generated people apply during the first ten days of last
/// month, online or at an office counter; each day the day's applications are verified, the demo reviewers
/// approve yesterday's final reviews and today's first reviews, and the SMS go out. Everything runs through the app's
/// own services on a <see cref="DemoClock"/> set back to each moment, before the app serves anyone, so the history,
/// findings, entitlements and messages are what the pipeline would have written. Those the data rule out are rejected
/// as they would be. At start-up the payout schedule then pays last month and this month.
/// </summary>
public static class DemoCaseload
{
    private const int Days = 10;
    private static readonly TimeSpan Morning = TimeSpan.FromHours(1);  // 09:00 China time
    private static readonly TimeSpan Afternoon = TimeSpan.FromHours(6); // 14:00 China time

    public static async Task<int> FileAsync(IServiceProvider services, DemoClock clock, IReadOnlyList<RegistryRow> population,
        int count, YearMonth currentMonth, CancellationToken ct)
    {
        var database = services.GetRequiredService<Database>();
        var protector = services.GetRequiredService<PersonalDataProtector>();
        var province = services.GetRequiredService<ProvinceConfig>();
        var verification = services.GetRequiredService<ClaimVerification>();
        var sms = services.GetRequiredService<SmsDelivery>();
        var archive = services.GetRequiredService<CaseArchive>();
        var reviews = services.GetRequiredService<ReviewCommands>();
        var offices = province.Cities.SelectMany(c => c.Offices).ToList();
        var applicants = population.DistinctBy(r => r.IdNumber).Take(count).ToList();
        var month = currentMonth.AddMonths(-1);

        for (var day = 0; day <= Days; day++)
        {
            var date = month.FirstDay.AddDays(day);
            var midnight = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), Deadlines.ChinaStandardTime);
            clock.Now = midnight + Morning;
            // Applicant i files on day i % Days; the last day only finishes the reviews.
            for (var i = day; day < Days && i < applicants.Count; i += Days)
            {
                clock.Now = clock.Now.AddMinutes(3);
                var counter = i % 3 == 0;
                var request = new SubmitApplicationRequest(ServiceItems.UnemploymentBenefit, counter ? "counter" : "online",
                    counter ? offices[i % offices.Count].Code : null,
                    new ApplicantRequest(applicants[i].IdNumber, applicants[i].Name, applicants[i].Mobile), null);
                var errors = SubmitApplication.Validate(request, province, date, out var applicant);
                if (errors.Count > 0)
                    throw new InvalidOperationException($"Demo applicant {i} is invalid: {string.Join("; ", errors.Keys)}");
                var body = JsonSerializer.SerializeToUtf8Bytes(request, JsonBody.Options);
                await SubmitApplication.StoreAsync(database, protector, province, "demo-portal", $"demo-caseload-{i}",
                    Convert.ToHexString(SHA256.HashData(body)), request, applicant, clock.Now, ct);
            }
            foreach (var ids in (await IdsAsync(database, "status = 'verifying'", ct)).Chunk(VerificationBatches.MaxBatch))
                await database.InTransactionAsync((c, t) => verification.VerifyManyAsync(c, t, ids), ct);
            await FinishAsync(database, sms, archive, ct);

            clock.Now = midnight + Afternoon;
            await ReviewAllAsync(database, reviews, ClaimStatus.FinalReview, "-r2", "经复核，符合领取条件，同意。", ct);
            await ReviewAllAsync(database, reviews, ClaimStatus.FirstReview, "-r1", "信息核验无误，同意，转参保地复核。", ct);
            await FinishAsync(database, sms, archive, ct);
        }
        return applicants.Count;
    }

    /// <summary>What the claims' orchestrations would do after each step: send the SMS, archive the closed cases.</summary>
    private static async Task FinishAsync(Database database, SmsDelivery sms, CaseArchive archive, CancellationToken ct)
    {
        await sms.DeliverQueuedAsync(TimeSpan.Zero, int.MaxValue, ct);
        foreach (var id in await IdsAsync(database, "is_open = 0 AND archived_at IS NULL", ct))
            await archive.ArchiveAsync(id, ct);
    }

    private static async Task<IReadOnlyList<string>> IdsAsync(Database database, string where, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        return (await c.QueryAsync<string>($"SELECT id FROM applications WHERE {where} ORDER BY received_at")).ToList();
    }

    /// <summary>Approves every application at <paramref name="stage"/>, as a demo reviewer of the office it sits at.</summary>
    private static async Task ReviewAllAsync(Database database, ReviewCommands reviews, ClaimStatus stage, string reviewer,
        string opinion, CancellationToken ct)
    {
        List<(string Id, string Office, string City)> waiting;
        await using (var c = await database.OpenAsync(ct))
        {
            waiting = (await c.QueryAsync<(string, string, string)>(
                """
                SELECT a.id, a.assigned_office, s.city_code FROM applications a JOIN staff s ON s.office_code = a.assigned_office
                WHERE a.status = @status AND s.username = a.assigned_office || @reviewer ORDER BY a.received_at
                """, new { status = stage.Code(), reviewer })).ToList();
        }
        foreach (var (id, office, city) in waiting)
            await reviews.ReviewAsync(id, new StaffMember(office + reviewer, StaffRole.Reviewer, office, city), stage,
                ReviewDecision.Approve, opinion, ct);
    }
}
