namespace Tongban.Domain.Payouts;

/// <summary>A payment the family receives because of a death: the funeral grant, the survivors' pension, the unpaid month of death.</summary>
public sealed record FamilyPayment(string PaymentId, PaymentKind Kind, long AmountFen);

/// <summary>How much (fen) of a family payment settles the overpayment <paramref name="OverpaidPaymentId"/>.</summary>
public sealed record Netting(string PaymentId, string OverpaidPaymentId, long Fen);

/// <summary>The nettings, and what each overpayment still leaves owed (fen) once the family's payments are exhausted.</summary>
public sealed record FamilyNetting(IReadOnlyList<Netting> Nettings, IReadOnlyList<Overpayment> StillOwed)
{
    /// <summary>Fen netted in all.</summary>
    public long NettedFen => Nettings.Sum(n => n.Fen);

    /// <summary>Fen the family is still asked to repay.</summary>
    public long OwedFen => StillOwed.Sum(o => o.AmountFen);

    /// <summary>Fen netted from one family payment (its <c>deducted_fen</c>).</summary>
    public long NettedFrom(string paymentId) => Nettings.Where(n => n.PaymentId == paymentId).Sum(n => n.Fen);
}

/// <summary>
/// After a death, benefit paid for months after it is owed back (经办条例 art. 46), and the fund owes the family the funeral
/// grant, the survivors' pension and the month of death (社会保险法 art. 49). The two are set off against each other in
/// full before anyone is asked to repay: the family is never asked for money the fund is about to pay them. Unlike
/// deductions from a living person's benefit (<see cref="Deductions"/>) no share is kept back: these are one-off sums,
/// not what someone lives on. Overpayments oldest first; family payments largest first (the survivors' pension before
/// the funeral grant), so the funeral grant, which pays for the funeral, is the last to be reduced.
/// </summary>
public static class DeathNetting
{
    public static FamilyNetting Net(IReadOnlyList<Overpayment> overpaidOldestFirst, IReadOnlyList<FamilyPayment> family)
    {
        var room = family.OrderByDescending(p => p.AmountFen).ThenBy(p => p.PaymentId)
            .Select(p => (p.PaymentId, Left: p.AmountFen)).ToList();
        var nettings = new List<Netting>();
        var owed = new List<Overpayment>();
        foreach (var overpayment in overpaidOldestFirst)
        {
            var left = overpayment.AmountFen;
            for (var i = 0; i < room.Count && left > 0; i++)
            {
                var take = Math.Min(left, room[i].Left);
                if (take <= 0) continue;
                nettings.Add(new Netting(room[i].PaymentId, overpayment.PaymentId, take));
                room[i] = room[i] with { Left = room[i].Left - take };
                left -= take;
            }
            if (left > 0) owed.Add(overpayment with { AmountFen = left });
        }
        return new FamilyNetting(nettings, owed);
    }
}
