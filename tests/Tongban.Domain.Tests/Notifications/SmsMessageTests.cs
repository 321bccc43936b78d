using System.Reflection;
using Tongban.Domain.Claims;
using Tongban.Domain.Entitlements;
using Tongban.Domain.Identifiers;
using Tongban.Domain.Notifications;
using Tongban.Domain.Payouts;
using Tongban.Domain.Registry;
using Tongban.Domain.Tests.Support;
using Tongban.Domain.Verification;

namespace Tongban.Domain.Tests.Notifications;

public class SmsMessageTests
{
    [Theory]
    [InlineData(183000, "1830.00")]
    [InlineData(198050, "1980.50")]
    [InlineData(99, "0.99")]
    public void Approval_states_the_monthly_amount_in_yuan_with_two_decimals(long fen, string yuan)
    {
        var sms = SmsMessage.Approved("HN-1", new Entitlement(12, fen, new YearMonth(2026, 12), new YearMonth(2027, 11)));

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

    // The longest values each template can carry: a case number (province code, date, eight characters), the longest
    // prefecture-level name in China, the largest amounts, the longest stop reason, every finding at once.
    private const string CaseNumber = "462026123198765432";
    private const string LongestCityName = "克孜勒苏柯尔克孜自治州";
    private const long LargeFen = 99_999_999;
    private static readonly string LongestStopReason = StopEvents.Descriptions.Values.MaxBy(d => d.Length)!;
    private static readonly DateOnly LongestDate = new(2026, 12, 31);

    private static IEnumerable<SmsMessage> EveryTemplateAtItsLongest()
    {
        var continued = new Entitlement(24, LargeFen, new YearMonth(2026, 12), new YearMonth(2029, 11));
        yield return SmsMessage.Received(CaseNumber);
        yield return SmsMessage.VerificationFailed(CaseNumber, EveryFindingAtOnce().Select(f => f.Message));
        yield return SmsMessage.RecheckPassed(CaseNumber);
        yield return SmsMessage.FirstReviewPassed(CaseNumber);
        yield return SmsMessage.FirstReviewRejected(CaseNumber, new string('因', 500));
        yield return SmsMessage.Routed(CaseNumber, LongestCityName);
        yield return SmsMessage.FinalReviewRejected(CaseNumber, new string('因', 500));
        yield return SmsMessage.Approved(CaseNumber, continued);
        yield return SmsMessage.RetirementAdjusted(CaseNumber, continued);
        yield return SmsMessage.Stopped(CaseNumber, LongestStopReason, LongestDate);
        yield return SmsMessage.DeathBenefits(CaseNumber, new DeathBenefits(LargeFen, 12, LargeFen * 10), LargeFen, payeeAccount: null);
        yield return SmsMessage.OverpaidFamily(CaseNumber, LargeFen, LargeFen, LargeFen);
        foreach (var kind in Enum.GetValues<PaymentKind>())
        {
            yield return SmsMessage.Paid(kind, new YearMonth(2026, 12), LargeFen, LargeFen, "6217856100012345678");
            yield return SmsMessage.PaidFamily(CaseNumber, kind, new YearMonth(2026, 12), LargeFen, LargeFen, "6217856100012345678");
        }
        yield return SmsMessage.Completed(CaseNumber, 35);
        yield return SmsMessage.Overpaid(new YearMonth(2026, 12), LargeFen, LongestStopReason);
        foreach (var kind in Domain.CrossChecks.CrossCheckKinds.Descriptions.Keys)
            yield return SmsMessage.CrossCheckHeld(CaseNumber, kind, new YearMonth(2026, 12), LongestDate);
        yield return SmsMessage.CrossCheckResumed(CaseNumber);
    }

    /// <summary>As many findings as verification reports together: short, voluntary, another claim, elsewhere, too old.</summary>
    private static IReadOnlyList<Finding> EveryFindingAtOnce()
    {
        var person = new InsuredPerson("王小明", [new ContributionSpell("91350100M000100Y43", "440300", new YearMonth(2026, 5), new YearMonth(2026, 8),
            SeparationReason.Resigned)]);
        var findings = Eligibility.Assess(new ClaimFacts("王小明", person, new YearMonth(2026, 11), null, true,
            new StatutoryRetirement(60, 0, new DateOnly(2020, 1, 1))), TestProvince.Hainan()).Findings;
        Assert.Equal(5, findings.Count);
        return findings;
    }

    [Fact]
    public void No_template_grows_past_two_parts_with_its_longest_values()
    {
        Assert.All(EveryTemplateAtItsLongest(), sms => Assert.True(sms.Parts <= SmsMessage.MaxParts, $"{sms.Template}: {sms.Parts} parts, {sms.Body}"));
    }

    [Fact]
    public void Every_template_is_checked_at_its_longest()
    {
        var factories = typeof(SmsMessage).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.ReturnType == typeof(SmsMessage)).Select(m => m.Name).ToHashSet();
        var checkedTemplates = EveryTemplateAtItsLongest().Select(s => s.Template.Replace("-", "")).ToHashSet(StringComparer.OrdinalIgnoreCase);

        Assert.Equal(factories.Count, checkedTemplates.Count);
        Assert.All(factories, name => Assert.Contains(name, checkedTemplates));
    }

    [Theory]
    [InlineData(70, 1)]
    [InlineData(71, 2)]
    [InlineData(134, 2)]
    [InlineData(135, 3)]
    [InlineData(201, 3)]
    [InlineData(202, 4)]
    public void Parts_are_counted_as_carriers_bill_them_seventy_then_sixty_seven_a_part(int characters, int parts)
    {
        Assert.Equal(parts, SmsMessage.PartsOf(new string('中', characters)));
    }

    [Fact]
    public void A_character_outside_the_BMP_counts_two_and_is_never_split_between_parts()
    {
        Assert.Equal(2, SmsMessage.PartsOf(new string('中', 69) + "\U00020BB7"));
        // 134 units would fill two parts exactly, but the pair would straddle the first boundary: three parts.
        Assert.Equal(3, SmsMessage.PartsOf(new string('中', 66) + "\U00020BB7" + new string('中', 66)));
        Assert.Equal(2, SmsMessage.PartsOf(new string('中', 65) + "\U00020BB7" + new string('中', 67)));
    }

    [Fact]
    public void A_long_opinion_is_cut_to_fit_two_parts_and_says_so()
    {
        var opinion = "身份证号11010519491231002X与登记不符，" + new string('另', 200);

        var sms = SmsMessage.FirstReviewRejected(CaseNumber, opinion);

        Assert.Equal(SmsMessage.MaxParts, sms.Parts);
        Assert.EndsWith("…。", sms.Body);
        Assert.Contains("002X与登记不符", sms.Body);
        Assert.DoesNotContain("110105", sms.Body);
    }

    [Fact]
    public void An_opinion_is_never_cut_inside_a_surrogate_pair()
    {
        var sms = SmsMessage.FinalReviewRejected(CaseNumber, string.Concat(Enumerable.Repeat("\U00020BB7", 100)));

        Assert.True(sms.Parts <= SmsMessage.MaxParts);
        Assert.False(char.IsHighSurrogate(sms.Body[sms.Body.IndexOf('…') - 1]));
    }

    [Fact]
    public void A_short_opinion_is_quoted_whole()
    {
        Assert.EndsWith("原因：停保原因与单位申报不符。", SmsMessage.FirstReviewRejected(CaseNumber, "停保原因与单位申报不符").Body);
    }

    [Fact]
    public void Reasons_that_do_not_all_fit_are_listed_whole_as_far_as_they_go_with_their_number()
    {
        var findings = EveryFindingAtOnce();

        var sms = SmsMessage.VerificationFailed(CaseNumber, findings.Select(f => f.Message));

        Assert.Contains(findings[0].Message, sms.Body);
        Assert.Contains($"等{findings.Count}项原因", sms.Body);
        Assert.True(sms.Parts <= SmsMessage.MaxParts);
    }

    [Fact]
    public void An_entitlement_continued_to_the_retirement_age_says_until_when()
    {
        var sms = SmsMessage.Approved(CaseNumber, new Entitlement(12, 183000, new YearMonth(2026, 11), new YearMonth(2028, 6)));

        Assert.Contains("共12个月", sms.Body);
        Assert.Contains("续发至2028年6月", sms.Body);
        Assert.DoesNotContain("续发", SmsMessage.Approved(CaseNumber, new Entitlement(12, 183000, new YearMonth(2026, 11), new YearMonth(2027, 10))).Body);
    }
}
