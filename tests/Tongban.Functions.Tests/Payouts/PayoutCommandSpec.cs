using Dapper;
using Tongban.Domain;
using Tongban.Domain.Claims;
using Tongban.Hosting;
using Tongban.Storage;
using Tongban.Tests.Infrastructure;

namespace Tongban.Tests.Payouts;

/// <summary>The operators' command <c>payout-run --period YYYY-MM</c> against a configured database.</summary>
public sealed class PayoutCommandSpec : IAsyncLifetime
{
    private TestStore _store = null!;

    public async ValueTask InitializeAsync() => _store = await TestStore.CreateAsync(Store.Sqlite);

    public async ValueTask DisposeAsync() => await _store.DisposeAsync();

    private static YearMonth ThisMonth => YearMonth.Of(Deadlines.LocalDate(DateTimeOffset.UtcNow));

    [Fact]
    public async Task The_command_runs_the_month_to_completion_and_a_second_time_pays_nothing_more()
    {
        await EntitlementSeed.InsertAsync(_store, 300, ThisMonth.AddMonths(-2), 6);
        string[] command = ["payout-run", "--period", ThisMonth.AddMonths(-1).ToString(), .. TestApp.Settings(_store), "--Payouts:ChunkSize=40"];

        Assert.Equal(0, await Cli.RunAsync(command));
        Assert.Equal(0, await Cli.RunAsync(command));

        await using var database = new Database(DatabaseProvider.Sqlite, _store.ConnectionString);
        await using var connection = await database.OpenAsync();
        Assert.Equal("completed", await connection.ExecuteScalarAsync<string>("SELECT status FROM payout_runs"));
        Assert.Equal(300, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM payments"));
        Assert.Equal(EntitlementSeed.Cities.Length, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM payout_files WHERE archived"));
    }

    [Theory]
    [InlineData("2026/11")]
    [InlineData("9999-12")]
    public async Task A_malformed_or_future_month_is_refused(string period)
    {
        Assert.Equal(2, await Cli.RunAsync(["payout-run", "--period", period, .. TestApp.Settings(_store)]));
    }
}
