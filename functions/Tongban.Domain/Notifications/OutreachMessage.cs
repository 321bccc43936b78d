using Tongban.Domain.Outreach;

namespace Tongban.Domain.Notifications;

/// <summary>
/// The outreach SMS (template <c>outreach</c>): the person may be eligible, and where to apply — any office of the
/// province or the province's government-service app, by name. It carries no name, no identifier and no link (DOMAIN.md,
/// Outreach; anti-fraud practice for government SMS), is the same for everyone a campaign finds, and fits in
/// <see cref="SmsMessage.MaxParts"/> parts.
/// </summary>
public static class OutreachMessage
{
    public const string Template = "outreach";

    /// <param name="serviceItem"><c>unemployment-benefit</c> or <c>unemployment-subsidy</c>.</param>
    /// <param name="serviceApp">The province's government-service app by name (海易办 in Hainan), from <c>Outreach:ServiceApp</c>.</param>
    /// <exception cref="ArgumentException">Another service item, or an app name that would carry the text past <see cref="SmsMessage.MaxParts"/> parts.</exception>
    public static SmsMessage For(string serviceItem, string serviceApp)
    {
        var item = serviceItem switch
        {
            Claims.ServiceItems.UnemploymentBenefit => "失业保险金",
            OutreachRule.UnemploymentSubsidy => "失业补助金",
            _ => throw new ArgumentException($"No outreach message for {serviceItem}.", nameof(serviceItem)),
        };
        var message = new SmsMessage(Template,
            $"【社保通办】经参保数据比对，您可能符合申领{item}条件。可携带身份证件到全省任一社保经办机构申请，"
            + $"或在“{serviceApp}”App搜索“{item}”在线申请，无需其他材料。如已申请请忽略。");
        return message.Parts <= SmsMessage.MaxParts
            ? message
            : throw new ArgumentException($"The app name makes the message {message.Parts} parts, over {SmsMessage.MaxParts}.", nameof(serviceApp));
    }
}
