using Tongban.Domain.Entitlements;

namespace Tongban.Domain.Payouts;

/// <summary>A payment of an application, as a stop event sees it. Reissues carry no medical contribution (the first issue did).</summary>
public sealed record PaymentRecord(
    string Id, PaymentKind Kind, YearMonth Period, int Attempt, PaymentStatus Status,
    long AmountFen, long MedicalFen, long DeductedFen, string? ReissueOf)
{
    public long NetFen => AmountFen - DeductedFen;
}

/// <summary>Money the person received for a month the entitlement does not cover: a recovery case is opened for it.</summary>
public sealed record Overpayment(string PaymentId, YearMonth Period, long AmountFen);

/// <summary>
/// What a stop event does to the payments already made or planned, and the ledger correction it needs.
/// <paramref name="Cancelled"/> never went to the bank; <paramref name="Released"/> were returned by the bank and are
/// no longer owed (they stay <c>returned</c>, no longer flagged for reissue).
/// </summary>
public sealed record StopSettlementResult(
    IReadOnlyList<string> Cancelled,
    IReadOnlyList<string> Overpaid,
    IReadOnlyList<string> Released,
    IReadOnlyList<Overpayment> Recoveries,
    long OverpaidFen,
    long VoidedReturnedNetFen,
    long VoidedDeductedFen,
    long MedicalReversedFen,
    YearMonth? DeathMonthToPay)
{
    public bool ChangesLedger => OverpaidFen + VoidedReturnedNetFen + VoidedDeductedFen + MedicalReversedFen > 0;
}

/// <summary>
/// Payment stops from the event date (条例 art. 15; 社会保险法 art. 51); whatever was paid for a month the
/// entitlement no longer covers is an overpayment to recover (经办条例 art. 46). Per benefit month that is now
/// excluded, the one live payment decides:
/// <list type="bullet">
/// <item>scheduled, never in a bank file: cancelled, nothing was booked;</item>
/// <item>sent or paid: overpaid, its gross amount recovered from the person;</item>
/// <item>returned by the bank and waiting for staff, or a scheduled reissue of one (which is cancelled): the money
/// the bank returned is no longer owed, and what a deduction from it settled is owed again.</item>
/// </list>
/// The funeral grant and survivors' pension are never excluded. After a death the month of death is paid
/// whatever the partial-month rule (社会保险法 art. 49).
/// </summary>
public static class StopSettlement
{
    public static StopSettlementResult Decide(Entitlement entitlement, DateOnly stopDate, bool died, PartialMonthRule rule,
        IReadOnlyList<PaymentRecord> payments)
    {
        var cancelled = new List<string>();
        var overpaid = new List<string>();
        var released = new List<string>();
        var recoveries = new List<Overpayment>();
        long overpaidFen = 0, voidedNet = 0, voidedDeducted = 0, medical = 0;
        var benefit = payments.Where(p => p.Kind == PaymentKind.Benefit).ToList();

        foreach (var month in benefit.GroupBy(p => p.Period).Where(g => !entitlement.Pays(g.Key, stopDate, rule, died)))
        {
            var monthMedical = month.Where(p => p.Attempt == 1).Sum(p => p.MedicalFen);
            foreach (var p in month)
            {
                switch (p.Status)
                {
                    case PaymentStatus.Scheduled when p.Attempt == 1:
                        cancelled.Add(p.Id);
                        break;
                    case PaymentStatus.Scheduled:
                        cancelled.Add(p.Id);
                        Release(month.Single(o => o.Id == p.ReissueOf));
                        break;
                    case PaymentStatus.Sent or PaymentStatus.Paid:
                        overpaid.Add(p.Id);
                        overpaidFen += p.AmountFen;
                        medical += monthMedical;
                        recoveries.Add(new Overpayment(p.Id, p.Period, p.AmountFen));
                        break;
                    case PaymentStatus.Returned when !month.Any(o => o.ReissueOf == p.Id):
                        Release(p);
                        break;
                }
            }

            void Release(PaymentRecord returned)
            {
                released.Add(returned.Id);
                voidedNet += returned.NetFen;
                voidedDeducted += returned.DeductedFen;
                medical += monthMedical;
                if (returned.DeductedFen > 0) recoveries.Add(new Overpayment(returned.Id, returned.Period, returned.DeductedFen));
            }
        }

        YearMonth? deathMonth = null;
        if (died && YearMonth.Of(stopDate) is var month0 && entitlement.Pays(month0, stopDate, rule, died: true)
            && benefit.All(p => p.Period != month0))
            deathMonth = month0;

        return new StopSettlementResult(cancelled, overpaid, released, recoveries, overpaidFen, voidedNet, voidedDeducted, medical, deathMonth);
    }
}
