namespace Tongban.Domain.Payouts;

/// <summary>An overpayment still being recovered from the person (a recovery case), oldest first.</summary>
public sealed record OpenRecovery(string CaseId, long OutstandingFen);

/// <summary>How much of a later payment goes to one recovery case.</summary>
public sealed record Deduction(string CaseId, long Fen);

/// <summary>
/// Recovery by deduction from later benefit (社会保险经办条例 art. 46): each later payment to the same person
/// gives up to the province's share of itself, to the oldest cases first, so the person is never left with nothing.
/// </summary>
public static class Deductions
{
    public static IReadOnlyList<Deduction> Plan(long paymentFen, PayoutRules rules, IEnumerable<OpenRecovery> oldestFirst)
    {
        var room = rules.MaxDeductionFrom(paymentFen);
        var plan = new List<Deduction>();
        foreach (var open in oldestFirst)
        {
            if (room <= 0) break;
            var take = Math.Min(room, open.OutstandingFen);
            if (take <= 0) continue;
            plan.Add(new Deduction(open.CaseId, take));
            room -= take;
        }
        return plan;
    }
}
