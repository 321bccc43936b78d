using System.Data.Common;
using Dapper;
using Tongban.Domain.Ledger;

namespace Tongban.Ledger;

public sealed record AccountBalance(string Account, string Name, decimal Debit, decimal Credit, decimal Balance);

public sealed record LedgerLineView(string Account, string Name, decimal Debit, decimal Credit);

public sealed record Movement(string TransactionId, DateTimeOffset At, string Kind, string Description, string? RunId, IReadOnlyList<LedgerLineView> Lines);

/// <summary>Writes balanced postings to a city fund's books and reads balances and movements back.</summary>
public static class LedgerStore
{
    /// <summary>
    /// Posts once: a transaction id already on the books is left as it is (its cause was posted by an earlier
    /// attempt). <see cref="Postings"/> only builds balanced transactions; the check here keeps it so.
    /// </summary>
    public static async Task PostAsync(DbConnection c, DbTransaction t, Posting posting, string? runId, DateTimeOffset now)
    {
        if (posting.IsEmpty) return;
        if (posting.Debits != posting.Credits)
            throw new InvalidOperationException($"Ledger transaction {posting.Id} does not balance.");
        var inserted = await c.ExecuteAsync(
            """
            INSERT INTO ledger_transactions (id, city_code, kind, run_id, description, at)
            VALUES (@Id, @CityCode, @Kind, @runId, @Description, @at)
            ON CONFLICT (id) DO NOTHING
            """, new { posting.Id, posting.CityCode, posting.Kind, runId, posting.Description, at = now.ToUnixTimeMilliseconds() }, t);
        if (inserted == 0) return;
        await c.ExecuteAsync(
            """
            INSERT INTO ledger_entries (transaction_id, line, city_code, account, debit_fen, credit_fen)
            VALUES (@id, @line, @city, @Account, @DebitFen, @CreditFen)
            """,
            posting.Lines.Select((l, i) => new { id = posting.Id, line = i + 1, city = posting.CityCode, l.Account, l.DebitFen, l.CreditFen }), t);
    }

    public static async Task<IReadOnlyList<AccountBalance>> BalancesAsync(DbConnection c, string cityCode)
    {
        var rows = await c.QueryAsync<(string Account, long Debit, long Credit)>(
            """
            SELECT account, CAST(SUM(debit_fen) AS BIGINT) AS debit, CAST(SUM(credit_fen) AS BIGINT) AS credit
            FROM ledger_entries WHERE city_code = @cityCode GROUP BY account
            """, new { cityCode });
        var sums = rows.ToDictionary(r => r.Account);
        // Every account is listed, in the catalogue's order, so an empty fund still shows its books.
        return Accounts.Names.Select(a =>
        {
            var (_, debit, credit) = sums.GetValueOrDefault(a.Key, (a.Key, 0L, 0L));
            var balance = Accounts.IsDebitNormal(a.Key) ? debit - credit : credit - debit;
            return new AccountBalance(a.Key, a.Value, debit / 100m, credit / 100m, balance / 100m);
        }).ToList();
    }

    /// <summary>Newest first; all of a run's transactions when <paramref name="runId"/> is given.</summary>
    public static async Task<IReadOnlyList<Movement>> MovementsAsync(DbConnection c, string cityCode, string? runId, int limit)
    {
        var filter = runId is null ? "city_code = @cityCode" : "city_code = @cityCode AND run_id = @runId";
        var args = new { cityCode, runId, limit };
        var transactions = (await c.QueryAsync<TransactionRow>(
            $"SELECT id, kind, run_id, description, at FROM ledger_transactions WHERE {filter} ORDER BY at DESC, id DESC LIMIT @limit", args)).ToList();
        var lines = (await c.QueryAsync<EntryRow>(
                $"""
                 SELECT transaction_id, line, account, debit_fen, credit_fen FROM ledger_entries
                 WHERE transaction_id IN (SELECT id FROM ledger_transactions WHERE {filter} ORDER BY at DESC, id DESC LIMIT @limit)
                 ORDER BY transaction_id, line
                 """, args))
            .ToLookup(e => e.TransactionId);
        return transactions.Select(x => new Movement(x.Id, Applications.ApplicationViews.Time(x.At), x.Kind, x.Description, x.RunId,
            lines[x.Id].Select(e => new LedgerLineView(e.Account, Accounts.Names[e.Account], e.DebitFen / 100m, e.CreditFen / 100m)).ToList())).ToList();
    }

    private sealed class TransactionRow
    {
        public string Id { get; init; } = "";
        public string Kind { get; init; } = "";
        public string? RunId { get; init; }
        public string Description { get; init; } = "";
        public long At { get; init; }
    }

    private sealed class EntryRow
    {
        public string TransactionId { get; init; } = "";
        public long Line { get; init; }
        public string Account { get; init; } = "";
        public long DebitFen { get; init; }
        public long CreditFen { get; init; }
    }
}
