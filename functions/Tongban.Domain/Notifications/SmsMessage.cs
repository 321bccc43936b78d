using System.Globalization;
using System.Text.RegularExpressions;
using Tongban.Domain.PersonalData;

namespace Tongban.Domain.Notifications;

/// <summary>
/// An SMS to the applicant or, after the applicant's death is reported, to the family (<paramref name="ToFamily"/>: to the
/// reporting relative's mobile, worded to them). Nothing is addressed to a deceased person: once a death is reported, a
/// message to the applicant is not sent at all. Texts carry no identity or account numbers and no links
/// (个人信息保护法; anti-fraud practice for government SMS). None takes more than <see cref="MaxParts"/> parts: what staff
/// typed is cut to fit, never the fixed wording.
/// </summary>
public sealed partial record SmsMessage(string Template, string Body, bool ToFamily = false)
{
    private const string Signature = "【社保通办】";

    /// <summary>The most parts a message may be billed as.</summary>
    public const int MaxParts = 2;

    /// <summary>UTF-16 units in a message of one part, and in each part of a message split into several.</summary>
    public const int SinglePartUnits = 70, UnitsPerPart = 67;

    /// <summary>How many parts carriers bill this message as (<see cref="PartsOf"/>).</summary>
    public int Parts => PartsOf(Body);

    /// <summary>
    /// Parts as carriers bill a text (3GPP TS 23.040 concatenated SMS, as 中国移动, 中国联通 and 中国电信 charge long
    /// messages): the whole text, signature included, in UCS-2 — every message here holds Chinese — takes 70 units in one
    /// part; split, 67 a part (6 of each part's 140 octets carry the concatenation header). A character outside the BMP
    /// is two units, and its surrogate pair is never split between parts: such a part carries 66.
    /// </summary>
    public static int PartsOf(string text)
    {
        if (text.Length <= SinglePartUnits) return 1;
        var parts = 0;
        for (var start = 0; start < text.Length; parts++)
        {
            var end = Math.Min(start + UnitsPerPart, text.Length);
            if (end < text.Length && char.IsHighSurrogate(text[end - 1])) end--;
            start = end;
        }
        return parts;
    }

    public static SmsMessage Received(string caseNumber) => new("received",
        $"{Signature}您的失业保险金申请已受理，受理编号{caseNumber}。系统将自动核验您的参保信息，请留意后续短信。");

    /// <summary>The reasons, whole, as many as fit in <see cref="MaxParts"/>; then how many there are (the application lists every one).</summary>
    public static SmsMessage VerificationFailed(string caseNumber, IEnumerable<string> reasons)
    {
        var before = $"{Signature}您的申请（受理编号{caseNumber}）未通过自动核验：";
        const string after = "。如有疑问，可到全省任一社保经办机构咨询。";
        var all = reasons.Select(Redact).ToList();
        var shown = all.Count;
        string Body() => before + string.Join("；", all.Take(shown)) + (shown < all.Count ? $"等{all.Count}项原因" : "") + after;
        while (shown > 1 && PartsOf(Body()) > MaxParts) shown--;
        return new("verification-failed", Body());
    }

    public static SmsMessage RecheckPassed(string caseNumber) => new("recheck-passed",
        $"{Signature}您的参保信息已更新，此前未通过自动核验的申请（受理编号{caseNumber}）经重新核验已通过，现转入人工审核。");

    public static SmsMessage FirstReviewPassed(string caseNumber) => new("first-review-passed",
        $"{Signature}您的申请（受理编号{caseNumber}）已通过初审。");

    public static SmsMessage FirstReviewRejected(string caseNumber, string opinion) => new("first-review-rejected",
        Quoting($"{Signature}您的申请（受理编号{caseNumber}）未通过初审，原因：", opinion, "。"));

    public static SmsMessage Routed(string caseNumber, string cityName) => new("routed",
        $"{Signature}您的申请（受理编号{caseNumber}）已转至参保地{cityName}社保经办机构复核。");

    public static SmsMessage FinalReviewRejected(string caseNumber, string opinion) => new("final-review-rejected",
        Quoting($"{Signature}您的申请（受理编号{caseNumber}）未通过复核，原因：", opinion, "。"));

    /// <summary>Months, amount and first month; an entitlement continued to the statutory retirement age (续发) says until when.</summary>
    public static SmsMessage Approved(string caseNumber, Entitlements.Entitlement entitlement) => new("approved",
        $"{Signature}您的失业保险金已核定（受理编号{caseNumber}）：共{entitlement.Months}个月"
        + (entitlement.ContinuedMonths > 0
            ? $"，因距法定退休年龄不足1年续发至{entitlement.EndMonth.Year}年{entitlement.EndMonth.Month}月"
            : "")
        + $"，每月{Yuan(entitlement.MonthlyFen)}元，自{entitlement.StartMonth.Year}年{entitlement.StartMonth.Month}月起按月发放至您的社会保障卡金融账户。");

    /// <summary>An entitlement brought under the statutory retirement age after approval: continued to it (续发), or ending at it.</summary>
    public static SmsMessage RetirementAdjusted(string caseNumber, Entitlements.Entitlement adjusted) => new("retirement-adjusted",
        $"{Signature}您的失业保险金（受理编号{caseNumber}）"
        + (adjusted.ContinuedMonths > 0
            ? $"因距法定退休年龄不足1年，续发至{adjusted.EndMonth.Year}年{adjusted.EndMonth.Month}月，无需另行申请。"
            : $"按法定退休年龄，发放至{adjusted.EndMonth.Year}年{adjusted.EndMonth.Month}月止。"));

    public static SmsMessage Stopped(string caseNumber, string reason, DateOnly date) => new("stopped",
        $"{Signature}因{reason}（{date.Year}年{date.Month}月{date.Day}日），您的失业保险金（受理编号{caseNumber}）自该日起停止发放。如有异议，可到任一社保经办机构申请复查。");

    /// <summary>
    /// The one condolence message to the family after a death is reported (template <c>death-benefits</c>): what they will
    /// receive — the funeral grant and survivors' pension (<paramref name="death"/>, fen), less the benefit paid for months
    /// after the death (<paramref name="nettedFen"/>) — and how: with the next payout, to the account the family gave
    /// (<paramref name="payeeAccount"/>, last four digits shown) or else to the deceased's card account, which the family can
    /// replace at any office if it was closed. The month of death is paid (社会保险法 art. 49).
    /// </summary>
    public static SmsMessage DeathBenefits(string caseNumber, Payouts.DeathBenefits death, long nettedFen, string? payeeAccount) => new("death-benefits",
        $"{Signature}惊悉您家人离世，谨致哀悼。其失业保险金（受理编号{caseNumber}）停发，当月照发；"
        + $"家属可领丧葬补助金{Yuan(death.FuneralGrantFen)}元、抚恤金{Yuan(death.SurvivorsPensionFen)}元"
        + (nettedFen > 0 ? $"（已扣多发{Yuan(nettedFen)}元）" : "")
        + (payeeAccount is null
            ? "，随下次发放转入社保卡，如已销户请到经办机构提供账户。"
            : $"，随下次发放转入尾号{Last4(payeeAccount)}的账户。"), ToFamily: true);

    /// <summary>
    /// To the family, when the benefit paid after the death (<paramref name="overpaidFen"/>) is more than the death benefits
    /// could absorb (<paramref name="nettedFen"/>): what is still to be repaid (<paramref name="owedFen"/>) and how. Fen.
    /// </summary>
    public static SmsMessage OverpaidFamily(string caseNumber, long overpaidFen, long nettedFen, long owedFen) => new("overpaid-family",
        $"{Signature}您家人的失业保险金（受理编号{caseNumber}）在其身故后多发{Yuan(overpaidFen)}元，已从丧葬补助金和抚恤金中抵扣{Yuan(nettedFen)}元，"
        + $"尚需退还{Yuan(owedFen)}元，可一次或分期退还，请到任一社保经办机构办理。", ToFamily: true);

    /// <summary>A payment after a death the bank confirmed, to the family: what, how much, to which account (last four digits only).</summary>
    public static SmsMessage PaidFamily(string caseNumber, Payouts.PaymentKind kind, YearMonth period, long netFen, long deductedFen,
        string bankAccount) => new("paid-family",
        $"{Signature}您家人（受理编号{caseNumber}）的"
        + (kind == Payouts.PaymentKind.Benefit ? $"{period.Year}年{period.Month}月失业保险金" : Payouts.PaymentCodes.Name(kind))
        + $"{Yuan(netFen)}元已发放至尾号{Last4(bankAccount)}的账户"
        + (deductedFen > 0 ? $"（已抵扣多发待遇{Yuan(deductedFen)}元）。" : "。"), ToFamily: true);

    /// <summary>A payment the bank confirmed: what, for which month, how much, to which account (last four digits only).</summary>
    public static SmsMessage Paid(Payouts.PaymentKind kind, YearMonth period, long netFen, long deductedFen, string bankAccount) => new("paid",
        $"{Signature}您{period.Year}年{period.Month}月的{Payouts.PaymentCodes.Name(kind)}{Yuan(netFen)}元已发放至尾号{Last4(bankAccount)}的社会保障卡金融账户"
        + (deductedFen > 0 ? $"（已抵扣应退回的多发待遇{Yuan(deductedFen)}元）。" : "。"));

    public static SmsMessage Completed(string caseNumber, int months) => new("completed",
        $"{Signature}您的失业保险金（受理编号{caseNumber}）{months}个月已全部发放完毕，本次申请办结。如仍需就业帮助，可到任一社保经办机构咨询。");

    public static SmsMessage Overpaid(YearMonth period, long fen, string reason) => new("overpaid",
        $"{Signature}因{reason}，您{period.Year}年{period.Month}月已领取的失业保险金{Yuan(fen)}元属多发待遇，需予退还。可一次退还、协商分期退还，或从以后应发待遇中抵扣，请到任一社保经办机构办理。");

    /// <summary>
    /// A match holds the benefit (template <c>cross-check-held</c>): from which month, why in plain words (the kind of
    /// record elsewhere, <see cref="CrossChecks.CrossCheckKinds.Descriptions"/>), that nothing is decided yet, and until
    /// which day the person may explain at any office. No identifiers beyond the case number, no link.
    /// </summary>
    public static SmsMessage CrossCheckHeld(string caseNumber, string kind, YearMonth from, DateOnly contestUntil) => new("cross-check-held",
        $"{Signature}信息比对显示您有{CrossChecks.CrossCheckKinds.Descriptions.GetValueOrDefault(kind, "参保")}记录，您的失业保险金（受理编号{caseNumber}）"
        + $"自{from.Year}年{from.Month}月起暂缓发放，待人工核实。如有异议，请于{contestUntil.Month}月{contestUntil.Day}日前到任一社保经办机构说明。");

    /// <summary>A dismissed match lifts the hold (template <c>cross-check-resumed</c>): the held months come with the next payment.</summary>
    public static SmsMessage CrossCheckResumed(string caseNumber) => new("cross-check-resumed",
        $"{Signature}经核实，您的失业保险金（受理编号{caseNumber}）恢复发放，暂缓期间的待遇将随下次发放补发。");

    /// <summary>
    /// What staff typed, redacted, between fixed wording; cut short (…) where the message would grow past
    /// <see cref="MaxParts"/>, at a whole character. The full text stays in the case history.
    /// </summary>
    private static string Quoting(string before, string typed, string after)
    {
        var text = Redact(typed);
        if (PartsOf(before + text + after) <= MaxParts) return before + text + after;
        var runes = text.EnumerateRunes().ToArray();
        var room = UnitsPerPart * MaxParts - before.Length - after.Length - 1;
        var keep = 0;
        for (var units = 0; keep < runes.Length && units + runes[keep].Utf16SequenceLength <= room; keep++)
            units += runes[keep].Utf16SequenceLength;
        string Cut() => before + string.Concat(runes.Take(keep)) + "…" + after;
        while (keep > 0 && PartsOf(Cut()) > MaxParts) keep--;
        return Cut();
    }

    // Opinions are typed by staff and may quote an identity or card number or paste a link: none of it may go out by SMS.
    private static string Redact(string text) => Link().Replace(Mask.FreeText(text), "");

    [GeneratedRegex(@"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*", RegexOptions.IgnoreCase)]
    private static partial Regex Link();

    private static string Last4(string account) => account.Length <= 4 ? new string('*', account.Length) : account[^4..];

    private static string Yuan(long fen) => (fen / 100m).ToString("0.00", CultureInfo.InvariantCulture);
}
