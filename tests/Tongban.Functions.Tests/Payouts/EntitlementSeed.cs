using Dapper;
using Tongban.Domain;
using Tongban.Storage;
using Tongban.Tests.Infrastructure;

namespace Tongban.Tests.Payouts;

/// <summary>
/// Approved entitlements written straight into the store with one INSERT … SELECT each for persons and applications
/// (thousands in a moment), spread over the Hainan cities, all with a card account. They are recipients in payment, as
/// the payout runs meet them month after month: their first payment went into an earlier bank file
/// (<c>first_issued_at</c>), so no claim orchestration waits for it and the reconciler has none to start.
/// </summary>
public static class EntitlementSeed
{
    public static readonly string[] Cities = ["460100", "460200", "460300", "460400", "469001"];

    public static async Task InsertAsync(TestStore store, int count, YearMonth start, int months)
    {
        await using var database = store.Open();
        await Migrator.MigrateAsync(database);
        var protector = TestApp.Protector();
        var guid = store.Kind == Store.Postgres
            ? "gen_random_uuid()::text"
            : "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-a' || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))";
        var city = "CASE n.i % 5 " + string.Join(" ", Cities.Select((c, i) => $"WHEN {i} THEN '{c}'")) + " END";
        var args = new
        {
            count, idEnc = protector.Encrypt("460200198503150011"), nameEnc = protector.Encrypt("种子"),
            mobileEnc = protector.Encrypt("13800138000"), accountEnc = protector.Encrypt("6217000010000000001"),
            start = start.ToString(), end = start.AddMonths(months - 1).ToString(), months, now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        };
        await database.InTransactionAsync(async (c, t) =>
        {
            await c.ExecuteAsync(
                """
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @count)
                INSERT INTO persons (person_key, id_number_enc, name_enc, mobile_enc, bank_account_enc, contact_hash, updated_at)
                SELECT 'seed-' || n.i, @idEnc, @nameEnc, @mobileEnc, @accountEnc, 'seed', @now FROM n
                """, args, t);
            await c.ExecuteAsync(
                $"""
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @count)
                 INSERT INTO applications (id, case_number, service_item, channel, status, is_open, person_key, id_number_enc, name_enc,
                     mobile_enc, portal_id, insuring_city, assigned_office, entitlement_months, monthly_fen, start_month, end_month,
                     received_at, updated_at, version, first_issued_at)
                 SELECT {guid}, 'SEED-' || n.i, 'unemployment-benefit', 'online', 'approved', 1, 'seed-' || n.i, @idEnc, @nameEnc,
                     @mobileEnc, 'demo-portal', {city}, NULL, @months, 183000, @start, @end, @now, @now, 3, @now
                 FROM n
                 """, args, t);
        });
    }
}
