namespace Tongban.Domain.Payouts;

/// <summary>
/// Where a payment stands (contract: Payouts). <c>sent</c> means it is in a bank file (the store derives it from the
/// file rather than rewriting every payment the file holds). <c>cancelled</c> is an addition for a payment a stop
/// event caught before it went into a bank file.
/// </summary>
public enum PaymentStatus { Scheduled, Sent, Paid, Returned, Overpaid, Cancelled }

/// <summary>What a payment pays: the monthly benefit, or one of the death benefits for the family (社会保险法 art. 49).</summary>
public enum PaymentKind { Benefit, FuneralGrant, SurvivorsPension }

public static class PaymentCodes
{
    public static string Code(this PaymentStatus status) => status switch
    {
        PaymentStatus.Scheduled => "scheduled",
        PaymentStatus.Sent => "sent",
        PaymentStatus.Paid => "paid",
        PaymentStatus.Returned => "returned",
        PaymentStatus.Overpaid => "overpaid",
        PaymentStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static PaymentStatus ParseStatus(string code) =>
        Enum.GetValues<PaymentStatus>().First(s => s.Code() == code);

    public static string Code(this PaymentKind kind) => kind switch
    {
        PaymentKind.Benefit => "benefit",
        PaymentKind.FuneralGrant => "funeral-grant",
        PaymentKind.SurvivorsPension => "survivors-pension",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static PaymentKind ParseKind(string code) =>
        Enum.GetValues<PaymentKind>().First(k => k.Code() == code);

    /// <summary>The name on the bank file and in SMS.</summary>
    public static string Name(this PaymentKind kind) => kind switch
    {
        PaymentKind.Benefit => "失业保险金",
        PaymentKind.FuneralGrant => "丧葬补助金",
        PaymentKind.SurvivorsPension => "抚恤金",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
