using System.Net;
using Tongban.Tests.Infrastructure;
using Tongban.Verification;

namespace Tongban.Tests.Intake;

/// <summary>
/// Verification gathers the claims arriving at one moment into one transaction (<see cref="VerificationBatches"/>); a
/// batch that fails is run again claim by claim, so one bad claim fails only its own activity.
/// </summary>
public sealed class VerificationBatchSpec : IAsyncLifetime
{
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync(Store.Sqlite);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_claim_that_cannot_be_verified_fails_alone_and_the_claims_beside_it_are_answered()
    {
        var people = Enumerable.Range(81, 12).ToList();
        await _app.ImportAsync(People.Csv([.. people.Select(n => People.EligibleInSanya(n))]));
        var ids = new List<string>();
        foreach (var n in people)
        {
            var response = await _app.Portal.SubmitAsync(People.Application(People.IdNumber(n)));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            ids.Add((await response.JsonAsync()).GetProperty("applicationId").GetString()!);
        }
        foreach (var id in ids) await _app.Portal.WaitForStatusAsync(id, "first-review");
        var batches = _app.Services.GetRequiredService<VerificationBatches>();

        // Handed in together, as activities running at one moment are: the unknown application makes the batch fail.
        var missing = Guid.NewGuid().ToString();
        var answers = ids.Take(6).Append(missing).Concat(ids.Skip(6)).Select(id => (Id: id, Answer: batches.VerifyAsync(id).WaitAsync(TimeSpan.FromSeconds(30)))).ToList();

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => answers.Single(a => a.Id == missing).Answer);
        Assert.Contains(missing, refused.Message);
        foreach (var (id, answer) in answers.Where(a => a.Id != missing))
            Assert.Equal("first-review", (await answer).Status);
    }
}
