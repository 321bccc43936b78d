using Tongban.Domain.Notifications;

namespace Tongban.Domain.Tests.Notifications;

public class SmsMessageTests
{
    [Theory]
    [InlineData(183000, "1830.00")]
    [InlineData(198050, "1980.50")]
    [InlineData(99, "0.99")]
    public void Approval_states_the_monthly_amount_in_yuan_with_two_decimals(long fen, string yuan)
    {
        var sms = SmsMessage.Approved("HN-1", 12, fen, new YearMonth(2026, 12));

        Assert.Contains($"每月{yuan}元", sms.Body);
        Assert.Contains("2026年12月", sms.Body);
    }

    [Fact]
    public void Every_SMS_is_signed()
    {
        Assert.StartsWith("【社保通办】", SmsMessage.Received("HN-1").Body);
        Assert.StartsWith("【社保通办】", SmsMessage.FirstReviewPassed("HN-1").Body);
    }

    [Fact]
    public void Identity_number_quoted_in_an_opinion_keeps_only_its_last_four_characters()
    {
        var sms = SmsMessage.FirstReviewRejected("HN-1", "身份证号11010519491231002x有误");

        Assert.DoesNotContain("110105", sms.Body);
        Assert.Contains("002x有误", sms.Body);
    }

    [Fact]
    public void Card_number_written_in_groups_is_masked_too()
    {
        var sms = SmsMessage.FinalReviewRejected("HN-1", "卡号6217 0012 3456 7894 321已销户");

        Assert.DoesNotContain("6217", sms.Body);
        Assert.DoesNotContain("3456", sms.Body);
        Assert.Contains("4321已销户", sms.Body);
    }

    [Fact]
    public void Links_in_an_opinion_are_dropped()
    {
        var sms = SmsMessage.FinalReviewRejected("HN-1", "请查看www.example.cn/a?b=1或HTTPS://x.y/z后重新申请");

        Assert.DoesNotContain("example", sms.Body);
        Assert.DoesNotContain("x.y", sms.Body);
        Assert.Contains("请查看或后重新申请", sms.Body);
    }

    [Fact]
    public void Ordinary_numbers_in_an_opinion_are_kept()
    {
        const string opinion = "缴费11个月，不满12个月，请于2026年12月31日前联系0898-66123456或13800138000";

        Assert.Contains(opinion, SmsMessage.FirstReviewRejected("HN-1", opinion).Body);
    }
}
