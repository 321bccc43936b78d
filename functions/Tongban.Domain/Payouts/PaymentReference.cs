using System.Globalization;

namespace Tongban.Domain.Payouts;

/// <summary>
/// A payment's id, which is also its reference on the bank file: month, kind, attempt and application, e.g.
/// <c>202611B01</c> followed by the application id's 32 hex digits. Being derived from what it pays, the same
/// month cannot be paid twice under two ids, and a run can compute every id in SQL.
/// </summary>
public static class PaymentReference
{
    public static string Prefix(YearMonth period, PaymentKind kind, int attempt)
    {
        if (attempt is < 1 or > 99) throw new ArgumentOutOfRangeException(nameof(attempt), "A payment is attempted 1 to 99 times.");
        var letter = kind switch
        {
            PaymentKind.Benefit => 'B',
            PaymentKind.FuneralGrant => 'F',
            PaymentKind.SurvivorsPension => 'S',
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        return string.Create(CultureInfo.InvariantCulture, $"{period.Year:D4}{period.Month:D2}{letter}{attempt:D2}");
    }

    public static string For(Guid applicationId, YearMonth period, PaymentKind kind, int attempt) =>
        Prefix(period, kind, attempt) + applicationId.ToString("N");
}
