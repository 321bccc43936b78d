using Tongban.Applications;
using Tongban.Domain.Claims;
using Tongban.Domain.Province;
using Tongban.Domain.Verification;
using Tongban.Storage;
using Tongban.Work;

namespace Tongban.Verification;

/// <summary>
/// 二次审核: when a registry import changes a person's data, their automatically rejected applications of
/// the last year are verified again; one that passes now goes to first review and the person is told.
/// </summary>
public sealed class RecheckApplicationHandler(Database database, WorkItems items, ClaimStore store,
    ClaimFactsLoader facts, ProvinceConfig province, TimeProvider clock) : IWorkHandler
{
    public const string WorkKind = "recheck-application";
    public static readonly TimeSpan Window = TimeSpan.FromDays(365);

    public string Kind => WorkKind;

    public Task HandleAsync(WorkItem item, CancellationToken ct) => database.InTransactionAsync(async (c, t) =>
    {
        if (await ClaimStore.LoadAsync(c, t, item.Payload) is { Claim: { Status: ClaimStatus.Rejected, FirstReviewer: null } } found)
        {
            var (claim, receivedAt) = found;
            var now = clock.GetUtcNow();
            var claimFacts = await facts.LoadAsync(c, t, claim, now);
            // A newer application of the same person stands; the old one stays closed.
            if (!claimFacts.HasOtherOpenClaim)
            {
                var result = Eligibility.Assess(claimFacts, province);
                var office = result.Passed ? await facts.FirstReviewOfficeAsync(c, t, claim, result) : null;
                if (ClaimWorkflow.Recheck(claim, result, office) is { } transition)
                {
                    await store.ApplyAsync(c, t, transition, claim.Version, receivedAt, now);
                    await VerifyApplicationHandler.SaveFindingsAsync(c, t, item.Payload, result);
                }
            }
        }
        await items.CompleteAsync(c, t, item);
    }, ct);
}
