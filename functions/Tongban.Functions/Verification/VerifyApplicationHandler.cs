using System.Data.Common;
using System.Text.Json;
using Dapper;
using Tongban.Applications;
using Tongban.Domain.Claims;
using Tongban.Domain.Province;
using Tongban.Domain.Verification;
using Tongban.Storage;
using Tongban.Work;

namespace Tongban.Verification;

/// <summary>
/// Automatic verification (零材料): checks the claim against the registry and the claims store, then
/// rejects it with reasons or assigns it to first review — in one transaction with the work item's completion.
/// </summary>
public sealed class VerifyApplicationHandler(Database database, WorkItems items, ClaimStore store,
    ClaimFactsLoader facts, ProvinceConfig province, TimeProvider clock) : IWorkHandler
{
    public const string Kind = "verify-application";

    string IWorkHandler.Kind => Kind;

    public Task HandleAsync(WorkItem item, CancellationToken ct) => database.InTransactionAsync(async (c, t) =>
    {
        if (await ClaimStore.LoadAsync(c, t, item.Payload) is { Claim.Status: ClaimStatus.Verifying } found)
        {
            var (claim, receivedAt) = found;
            var now = clock.GetUtcNow();
            var result = Eligibility.Assess(await facts.LoadAsync(c, t, claim, now), province);
            var office = result.Passed ? await facts.FirstReviewOfficeAsync(c, t, claim, result) : null;
            await store.ApplyAsync(c, t, ClaimWorkflow.CompleteVerification(claim, result, office), claim.Version, receivedAt, now);
            await SaveFindingsAsync(c, t, item.Payload, result);
        }
        await items.CompleteAsync(c, t, item);
    }, ct);

    public static Task SaveFindingsAsync(DbConnection c, DbTransaction t, string applicationId, VerificationResult result) =>
        c.ExecuteAsync(
            "UPDATE applications SET findings_json = @findings, contribution_months = @months, carried_over_months = @carried WHERE id = @id",
            new { id = applicationId, findings = JsonSerializer.Serialize(result.Findings), months = result.ContributionMonths, carried = result.CarriedOverMonths }, t);
}
