using System.Data.Common;
using Dapper;
using Tongban.Applications;
using Tongban.Domain.Claims;
using Tongban.Domain.Province;
using Tongban.Domain.Verification;
using Tongban.Storage;

namespace Tongban.Verification;

/// <summary>
/// Automatic verification (零材料): checks the claim against the registry and the claims store, then rejects it with
/// reasons or assigns it to first review, in one transaction. 二次审核 runs the same check again for an automatic
/// rejection when a registry import changed the person's contributions. Both are idempotent: a claim no longer in the
/// state they act on is left as it is, and they answer with the claim as it stands. Both run in the caller's
/// transaction, so the activity that verifies also claims the SMS it queued in it (<see cref="ClaimFunctions"/>).
/// </summary>
public sealed class ClaimVerification(Database database, ClaimStore store, ClaimFactsLoader facts, ProvinceConfig province, TimeProvider clock)
{
    /// <summary>How far back 二次审核 reaches: automatic rejections of the last year (Gaoming, seed 000).</summary>
    public static readonly TimeSpan RecheckWindow = TimeSpan.FromDays(365);

    /// <summary>
    /// Verifies those of the claims <paramref name="applicationIds"/> that are verifying, all in a handful of statements
    /// (<see cref="VerificationBatches"/> gathers them); answers with each claim as it stands, keyed by application id.
    /// Throws when one of them does not exist.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, ClaimSnapshot>> VerifyManyAsync(DbConnection c, DbTransaction t, IReadOnlyCollection<string> applicationIds)
    {
        var loaded = await store.LoadManyAsync(c, t, applicationIds);
        if (loaded.Count != applicationIds.Count)
            throw new InvalidOperationException($"Application {applicationIds.Except(loaded.Select(l => l.Claim.Id.ToString())).First()} does not exist.");
        var snapshots = loaded.ToDictionary(l => l.Claim.Id.ToString(), l => store.Snapshot(l.Claim.Status, l.ReceivedAt));
        var verifying = loaded.Where(l => l.Claim.Status == ClaimStatus.Verifying).ToList();
        if (verifying.Count == 0) return snapshots;

        var now = clock.GetUtcNow();
        var found = await facts.LoadManyAsync(c, t, verifying.Select(v => v.Claim).ToList(), now);
        var results = verifying.Select(v => (v.Claim, v.ReceivedAt, Result: Eligibility.Assess(found[v.Claim.Id], province))).ToList();
        var offices = await facts.FirstReviewOfficesAsync(c, t, results.Where(r => r.Result.Passed).Select(r => (r.Claim, r.Result)).ToList());
        var changes = results.Select(r => new ClaimChange(
            ClaimWorkflow.CompleteVerification(r.Claim, r.Result, offices.GetValueOrDefault(r.Claim.Id)),
            r.Claim.Version, r.ReceivedAt, r.Result)).ToList();
        await store.ApplyManyAsync(c, t, changes, now);
        foreach (var change in changes)
            snapshots[change.Transition.Claim.Id.ToString()] = store.Snapshot(change.Transition.Claim.Status, change.ReceivedAt);
        return snapshots;
    }

    /// <summary>
    /// Verifies an automatic rejection again; one that passes now goes to first review and the person is told by SMS.
    /// A reviewer's rejection is never reopened by data, nor an old application once the person has a newer open one.
    /// Clears the claim's recheck request either way.
    /// </summary>
    public async Task<ClaimSnapshot> RecheckAsync(DbConnection c, DbTransaction t, string applicationId)
    {
        if (await ClaimStore.LoadAsync(c, t, applicationId, forUpdate: database.Provider == DatabaseProvider.Postgres)
            is { Claim: { Status: ClaimStatus.Rejected, FirstReviewer: null } } found)
        {
            var (claim, receivedAt) = found;
            var now = clock.GetUtcNow();
            var claimFacts = (await facts.LoadManyAsync(c, t, [claim], now))[claim.Id];
            if (!claimFacts.HasOtherOpenClaim)
            {
                var result = Eligibility.Assess(claimFacts, province);
                var office = result.Passed ? (await facts.FirstReviewOfficesAsync(c, t, [(claim, result)]))[claim.Id] : null;
                if (ClaimWorkflow.Recheck(claim, result, office) is { } transition)
                    await store.ApplyAsync(c, t, transition, claim.Version, receivedAt, now, result);
            }
        }
        await c.ExecuteAsync("UPDATE applications SET recheck_requested_at = NULL WHERE id = @applicationId", new { applicationId }, t);
        return await store.SnapshotAsync(c, t, applicationId);
    }
}
