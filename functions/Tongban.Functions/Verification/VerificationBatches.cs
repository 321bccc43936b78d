using System.Threading.Channels;
using Tongban.Applications;
using Tongban.Notifications;
using Tongban.Storage;

namespace Tongban.Verification;

/// <summary>
/// Group commit for automatic verification (零材料). Each claim's <c>VerifyClaim</c> activity hands its application id
/// in and awaits the claim as verification left it; a loop takes every claim waiting, up to <see cref="MaxBatch"/>, and
/// verifies them together in one transaction (<see cref="ClaimVerification.VerifyManyAsync"/>: a handful of statements
/// whatever their number), claims their SMS in it and sends them after it commits. The more claims arrive at once, the
/// larger the batches and the fewer statements and commits a claim costs; a claim arriving alone goes at once.
/// <para>
/// A batch that fails is run again claim by claim, so a bad claim fails only its own activity, which Durable retries.
/// A gateway failure fails the activities whose messages were not sent; their retries find the claims verified and send
/// what is left. Everything stays idempotent per claim: a claim twice in a batch, or in two batches, is verified once.
/// </para>
/// </summary>
public sealed class VerificationBatches(Database database, ClaimVerification verification, SmsDelivery sms, ILogger<VerificationBatches> log)
    : BackgroundService
{
    /// <summary>At most this many claims a batch: one transaction stays short, and the next batch gathers meanwhile.</summary>
    public const int MaxBatch = 100;

    private readonly Channel<Waiting> _waiting = Channel.CreateUnbounded<Waiting>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Verifies the claim with the next batch; answers with it as it then stands (<see cref="ClaimSnapshot"/>).</summary>
    public Task<ClaimSnapshot> VerifyAsync(string applicationId)
    {
        var waiting = new Waiting(applicationId, new TaskCompletionSource<ClaimSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_waiting.Writer.TryWrite(waiting)) throw new OperationCanceledException("The app is stopping; verification is not taking claims.");
        return waiting.Done.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Waiting>(MaxBatch);
        try
        {
            while (await _waiting.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < MaxBatch && _waiting.Reader.TryRead(out var next)) batch.Add(next);
                await VerifyAsync(batch);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            _waiting.Writer.TryComplete();
            foreach (var left in batch.Concat(_waiting.Reader.ReadAllAsync().ToBlockingEnumerable()))
                left.Done.TrySetCanceled(stoppingToken);
        }
    }

    /// <summary>Verifies a batch in one transaction; should it fail, each claim alone.</summary>
    private async Task VerifyAsync(List<Waiting> batch)
    {
        try
        {
            await VerifyTogetherAsync(batch);
        }
        catch (Exception e) when (batch.Count > 1)
        {
            log.LogWarning(e, "Verifying {Count} claims together failed; verifying each alone", batch.Count);
            foreach (var claim in batch.GroupBy(w => w.ApplicationId))
            {
                try
                {
                    await VerifyTogetherAsync(claim.ToList());
                }
                catch (Exception alone)
                {
                    foreach (var waiting in claim) waiting.Done.TrySetException(alone);
                }
            }
        }
        catch (Exception e)
        {
            batch[0].Done.TrySetException(e);
        }
    }

    private async Task VerifyTogetherAsync(IReadOnlyList<Waiting> batch)
    {
        var ids = batch.Select(w => w.ApplicationId).Distinct().ToList();
        var (claims, outgoing) = await database.InTransactionAsync(async (c, t) =>
            (await verification.VerifyManyAsync(c, t, ids), await sms.ClaimForApplicationsAsync(c, t, ids)));
        var unsent = await sms.SendClaimedAsync(outgoing, CancellationToken.None);
        foreach (var waiting in batch)
        {
            if (unsent.TryGetValue(waiting.ApplicationId, out var failure)) waiting.Done.TrySetException(failure);
            else waiting.Done.TrySetResult(claims[waiting.ApplicationId]);
        }
    }

    private sealed record Waiting(string ApplicationId, TaskCompletionSource<ClaimSnapshot> Done);
}
