using Dapper;
using Tongban.Domain.Claims;
using Tongban.Payouts;
using Tongban.PersonalData;
using Tongban.Domain.Province;
using Tongban.Storage;
using Tongban.Verification;

namespace Tongban.Applications;

/// <summary>
/// Brings entitlements fixed before the statutory retirement age was applied (issue 10, item 5: rows from earlier
/// versions, marked by migration 0007) under the rule, once each, at start-up: an entitlement ending less than a year
/// before the age is continued to it (续发, no new application); one running past it ends at its month — or, when the day
/// has already passed, the claim is stopped as from that day (a pension stop event: 条例 art. 15), settling whatever was
/// paid beyond it as any stop does. Each claim in its own transaction with its history and SMS; the mark is cleared in the
/// same transaction, so a second instance or a restart finds nothing left to do.
/// </summary>
public sealed class RetirementRule(Database database, ClaimStore store, ClaimPayouts payouts, ProvinceConfig province,
    PersonalDataProtector protector, TimeProvider clock, ILogger<RetirementRule> log)
{
    private const int Batch = 500;
    private static readonly StaffMember System = new(ClaimWorkflow.SystemActor, StaffRole.Administrator, null, null);

    /// <summary>Applies the rule to every marked application; returns how many entitlements changed.</summary>
    public async Task<int> ApplyPendingAsync(CancellationToken ct)
    {
        var changed = 0;
        while (true)
        {
            List<string> ids;
            await using (var connection = await database.OpenAsync(ct))
                ids = (await connection.QueryAsync<string>(
                    "SELECT id FROM applications WHERE retirement_rule_pending = 1 ORDER BY id LIMIT @Batch", new { Batch })).ToList();
            if (ids.Count == 0) break;
            foreach (var id in ids)
                if (await ApplyAsync(id, ct)) changed++;
        }
        if (changed > 0) log.LogInformation("{Count} entitlements fixed before the statutory retirement age was applied now respect it", changed);
        return changed;
    }

    private Task<bool> ApplyAsync(string id, CancellationToken ct) => database.InTransactionAsync(async (c, t) =>
    {
        if (database.Provider == DatabaseProvider.Postgres)
            await c.ExecuteAsync("SELECT 1 FROM applications WHERE id = @id FOR UPDATE", new { id }, t);
        var idNumberEnc = await c.QuerySingleOrDefaultAsync<string>(
            "SELECT id_number_enc FROM applications WHERE id = @id AND retirement_rule_pending = 1", new { id }, t);
        if (idNumberEnc is null) return false;
        await c.ExecuteAsync("UPDATE applications SET retirement_rule_pending = 0 WHERE id = @id", new { id }, t);
        var (claim, receivedAt) = (await ClaimStore.LoadAsync(c, t, id))!.Value;
        if (claim.Status is not (ClaimStatus.Approved or ClaimStatus.Suspended) || claim.Entitlement is not { } entitlement) return false;

        var retirement = ClaimFactsLoader.Retirement(protector.Decrypt(idNumberEnc), province);
        var adjusted = entitlement.UnderRetirementRule(retirement);
        if (adjusted == entitlement) return false;
        var now = clock.GetUtcNow();
        var today = Deadlines.LocalDate(now);
        if (adjusted.EndMonth < entitlement.EndMonth && retirement.Date <= today)
        {
            var stop = ClaimWorkflow.ReportStop(claim, System, StopEvents.PensionStarted, retirement.Date, today);
            await store.ApplyAsync(c, t, stop, claim.Version, receivedAt, now);
            await payouts.SettleStopAsync(c, t, stop.Claim, StopEvents.PensionStarted, retirement.Date, null, null, now);
        }
        else
            await store.ApplyAsync(c, t, ClaimWorkflow.AdjustToRetirement(claim, adjusted), claim.Version, receivedAt, now);
        return true;
    }, ct);
}
