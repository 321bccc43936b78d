using Tongban.Domain.Payouts;
using Tongban.Domain.Province;

namespace Tongban.Domain.Entitlements;

/// <summary>
/// What approval fixes: how many months are granted (<see cref="Months"/>), how much a month, and from which month to
/// which. <see cref="EndMonth"/> is the last month paid: <see cref="StartMonth"/> plus the months granted, unless a
/// continuation to the statutory retirement age (续发) carries it further (<see cref="ContinuedMonths"/>).
/// </summary>
public sealed record Entitlement(int Months, long MonthlyFen, YearMonth StartMonth, YearMonth EndMonth)
{
    /// <summary>
    /// Months from the contributions counted for this claim, plus months left from an earlier entitlement, capped
    /// (社会保险法 art. 46; 条例 art. 17). Paid from the month of registration (条例 art. 16) up to the month the statutory
    /// retirement age is reached at the latest: the pension follows, and months past it are not granted. An entitlement
    /// that would end less than a year before that day keeps paying until it, with no new application (续发至法定退休年龄:
    /// 国务院关于渐进式延迟职工法定退休年龄的办法, 2024, art. 7; before it 人社部发〔2020〕40号 from December 2019, without
    /// an application by 人社厅发〔2020〕24号).
    /// </summary>
    public static Entitlement Fix(int contributionMonths, int carriedOverMonths, DurationScale scale,
        long monthlyFen, YearMonth registrationMonth, StatutoryRetirement retirement)
    {
        var months = Math.Min(scale.CapMonths, scale.BenefitMonthsFor(contributionMonths) + carriedOverMonths);
        if (months <= 0)
            throw new InvalidOperationException("No benefit months: verification should have ruled this claim out.");
        if (registrationMonth > retirement.Month)
            throw new InvalidOperationException("Registered after the statutory retirement age: verification should have ruled this claim out.");
        var end = registrationMonth.AddMonths(months - 1);
        if (end >= retirement.Month)
            return new Entitlement(retirement.Month.MonthsSinceInclusive(registrationMonth), monthlyFen, registrationMonth, retirement.Month);
        var continued = retirement.Date < end.LastDay.AddYears(1);
        return new Entitlement(months, monthlyFen, registrationMonth, continued ? retirement.Month : end);
    }

    /// <summary>
    /// This entitlement as <see cref="Fix"/> fixes one under the statutory retirement age, for entitlements fixed before
    /// the rule was applied: one running past the month the age is reached ends at that month (the months granted cut to
    /// fit); one ending less than a year before the day is continued to that month (续发, no new application); any other is
    /// unchanged. One starting after that month cannot be brought under the rule (verification would have ruled the claim
    /// out) and is returned unchanged, for staff to revoke.
    /// </summary>
    public Entitlement UnderRetirementRule(StatutoryRetirement retirement)
    {
        if (StartMonth > retirement.Month) return this;
        if (EndMonth > retirement.Month)
            return this with { Months = Math.Min(Months, retirement.Month.MonthsSinceInclusive(StartMonth)), EndMonth = retirement.Month };
        if (EndMonth < retirement.Month && retirement.Date < EndMonth.LastDay.AddYears(1))
            return this with { EndMonth = retirement.Month };
        return this;
    }

    /// <summary>Months from <see cref="StartMonth"/> to <see cref="EndMonth"/>: those granted and those continued.</summary>
    public int PaidMonths => EndMonth.MonthsSinceInclusive(StartMonth);

    /// <summary>Months paid beyond those granted, to reach the statutory retirement age (续发); 0 for most.</summary>
    public int ContinuedMonths => Math.Max(0, PaidMonths - Months);

    /// <summary>
    /// The last month this entitlement pays when payment stops on <paramref name="stopDate"/> (null when it pays
    /// none): the stop month itself under <see cref="PartialMonthRule.StopMonthPaid"/> or after a death, the month
    /// before it otherwise — never past <see cref="EndMonth"/>.
    /// </summary>
    public YearMonth? LastPaidMonth(DateOnly stopDate, PartialMonthRule rule, bool died = false)
    {
        var stopMonth = YearMonth.Of(stopDate);
        var last = died || rule == PartialMonthRule.StopMonthPaid ? stopMonth : stopMonth.AddMonths(-1);
        if (last > EndMonth) last = EndMonth;
        return last < StartMonth ? null : last;
    }

    /// <summary>
    /// The month a new entitlement starts: the month of registration, or the month after the last one an earlier
    /// entitlement of the same person pays (<paramref name="earlier"/>: each with its stop date, if it stopped), whichever
    /// is later — a month is paid once, whatever the cases' statuses (不重不漏; a stop month the partial-month rule
    /// pays belongs to the earlier claim).
    /// </summary>
    public static YearMonth FirstUnpaidMonth(YearMonth registrationMonth, IEnumerable<(Entitlement Entitlement, DateOnly? StoppedOn)> earlier,
        PartialMonthRule rule)
    {
        var first = registrationMonth;
        foreach (var (entitlement, stoppedOn) in earlier)
        {
            var last = stoppedOn is { } stop ? entitlement.LastPaidMonth(stop, rule) : entitlement.EndMonth;
            if (last is { } paid && paid >= first) first = paid.AddMonths(1);
        }
        return first;
    }

    /// <summary>Whether the entitlement pays <paramref name="period"/>, given how (and whether) it stopped.</summary>
    public bool Pays(YearMonth period, DateOnly? stopDate, PartialMonthRule rule, bool died = false)
    {
        if (period < StartMonth || period > EndMonth) return false;
        return stopDate is not { } stop || LastPaidMonth(stop, rule, died) is { } last && period <= last;
    }

    /// <summary>
    /// Months granted and left when payment stops on <paramref name="stopDate"/>: those granted less those up to the last
    /// paid one. They carry over to a new claim (条例 art. 17); months continued to the retirement age (续发) were never
    /// granted, so none of them carries over. Counted from the rule rather than from the payments made, because a stop
    /// month that is still to be paid (its run not yet done) is used all the same.
    /// </summary>
    public int UnusedMonthsAfter(DateOnly stopDate, PartialMonthRule rule = PartialMonthRule.StopMonthPaid) =>
        LastPaidMonth(stopDate, rule) is { } last ? Math.Max(0, Months - last.MonthsSinceInclusive(StartMonth)) : Months;
}
