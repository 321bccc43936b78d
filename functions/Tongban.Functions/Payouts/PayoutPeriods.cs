using Tongban.Domain;
using Tongban.Domain.Claims;
using Tongban.Domain.Province;

namespace Tongban.Payouts;

/// <summary>Why a month cannot have a payout run, if it cannot.</summary>
public enum PeriodRefusal
{
    None,
    NotBegun,
    BeforeStandards,
}

/// <summary>
/// The months a payout run may be asked for: from the first month the province's data can pay to the current month.
/// Every amount comes from a city's benefit standard in force on the month's first day (<c>PaymentAmounts</c>), so a
/// month before the first standard can hold no payment: a run of it (<c>1999-01</c>) would only leave an empty completed
/// run behind for good. A month not yet begun is not paid either.
/// </summary>
public static class PayoutPeriods
{
    /// <summary>The first month with a benefit standard in force on its first day in some city of the province.</summary>
    public static YearMonth FirstPayable(ProvinceConfig province)
    {
        var first = province.Cities.SelectMany(c => c.Standards).Min(s => s.EffectiveFrom);
        return first.Day == 1 ? YearMonth.Of(first) : YearMonth.Of(first).AddMonths(1);
    }

    public static PeriodRefusal Check(YearMonth period, ProvinceConfig province, DateTimeOffset now) =>
        period > YearMonth.Of(Deadlines.LocalDate(now)) ? PeriodRefusal.NotBegun
        : period < FirstPayable(province) ? PeriodRefusal.BeforeStandards
        : PeriodRefusal.None;
}
