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

    /// <summary>Verifies a claim that is verifying; answers with the claim as it stands. Throws when there is no such application.</summary>
    public async Task<ClaimSnapshot> VerifyAsync(DbConnection c, DbTransaction t, string applicationId)
    {
        var (claim, receivedAt) = await ClaimStore.LoadAsync(c, t, applicationId, forUpdate: database.Provider == DatabaseProvider.Postgres)
            ?? throw new InvalidOperationException($"Application {applicationId} does not exist.");
        if (claim.Status != ClaimStatus.Verifying) return store.Snapshot(claim.Status, receivedAt);
        var now = clock.GetUtcNow();
        var result = Eligibility.Assess(await facts.LoadAsync(c, t, claim, now), province);
        var office = result.Passed ? await facts.FirstReviewOfficeAsync(c, t, claim, result) : null;
        var transition = ClaimWorkflow.CompleteVerification(claim, result, office);
        await store.ApplyAsync(c, t, transition, claim.Version, receivedAt, now, result);
        return store.Snapshot(transition.Claim.Status, receivedAt);
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
            var claimFacts = await facts.LoadAsync(c, t, claim, now);
            if (!claimFacts.HasOtherOpenClaim)
            {
                var result = Eligibility.Assess(claimFacts, province);
                var office = result.Passed ? await facts.FirstReviewOfficeAsync(c, t, claim, result) : null;
                if (ClaimWorkflow.Recheck(claim, result, office) is { } transition)
                    await store.ApplyAsync(c, t, transition, claim.Version, receivedAt, now, result);
            }
        }
        await c.ExecuteAsync("UPDATE applications SET recheck_requested_at = NULL WHERE id = @applicationId", new { applicationId }, t);
        return await store.SnapshotAsync(c, t, applicationId);
    }
}
