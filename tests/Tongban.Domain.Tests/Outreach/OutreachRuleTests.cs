using Tongban.Domain.Entitlements;
using Tongban.Domain.Identifiers;
using Tongban.Domain.Notifications;
using Tongban.Domain.Outreach;
using Tongban.Domain.Registry;
using Tongban.Domain.Tests.Support;
using Tongban.Domain.Verification;

namespace Tongban.Domain.Tests.Outreach;

public class OutreachRuleTests
{
    private static readonly YearMonth Now = new(2026, 11);
    private static readonly StatutoryRetirement Young = RetirementAge.For(new DateOnly(1985, 3, 15), Sex.Male, WomanPost.Worker);

    private static VerificationResult Assess(string start, string? end, SeparationReason? reason, StatutoryRetirement? retirement = null) =>
        Eligibility.Assess(new ClaimFacts("王小明",
            new InsuredPerson("王小明", [new ContributionSpell("91350100M000100Y43", "460100", YearMonth.Parse(start),
                end is null ? null : YearMonth.Parse(end), reason)]),
            Now, null, false, retirement ?? Young), TestProvince.Hainan());

    [Fact]
    public void Benefit_outreach_finds_exactly_who_verification_would_pass()
    {
        Assert.True(OutreachRule.Qualifies("unemployment-benefit", Assess("2019-09", "2026-08", SeparationReason.ContractExpired)));
        Assert.False(OutreachRule.Qualifies("unemployment-benefit", Assess("2019-09", "2026-08", SeparationReason.Resigned)));
        Assert.False(OutreachRule.Qualifies("unemployment-benefit", Assess("2019-09", null, null)));
        Assert.False(OutreachRule.Qualifies("unemployment-benefit", Assess("2026-01", "2026-08", SeparationReason.ContractExpired)));
    }

    [Fact]
    public void Retirement_age_passed_is_not_told_to_apply()
    {
        var retired = RetirementAge.For(new DateOnly(1960, 3, 15), Sex.Male, WomanPost.Worker);
        Assert.False(OutreachRule.Qualifies("unemployment-benefit", Assess("2019-09", "2026-08", SeparationReason.ContractExpired, retired)));
    }

    [Fact]
    public void Subsidy_outreach_finds_involuntary_separations_short_of_the_benefits_twelve_months_only()
    {
        Assert.True(OutreachRule.Qualifies("unemployment-subsidy", Assess("2026-01", "2026-08", SeparationReason.EmployerClosed)));
        Assert.False(OutreachRule.Qualifies("unemployment-subsidy", Assess("2019-09", "2026-08", SeparationReason.ContractExpired)));
        Assert.False(OutreachRule.Qualifies("unemployment-subsidy", Assess("2026-01", "2026-08", SeparationReason.Resigned)));
    }

    [Fact]
    public void Other_service_items_are_refused() =>
        Assert.Throws<ArgumentException>(() => OutreachRule.Qualifies("skill-upgrade-subsidy", Assess("2019-09", "2026-08", SeparationReason.ContractExpired)));

    [Theory]
    [InlineData("2026-11-05", "2026-11")]
    [InlineData("2026-11-30", "2026-11")]
    [InlineData("2026-11-04", "2026-10")]
    [InlineData("2027-01-01", "2026-12")]
    public void The_months_campaign_is_due_from_the_fifth_and_a_missed_one_is_caught_up_before(string today, string month) =>
        Assert.Equal(YearMonth.Parse(month), OutreachRule.CampaignMonth(DateOnly.Parse(today), 5));
}

public class OutreachMessageTests
{
    [Theory]
    [InlineData("unemployment-benefit", "失业保险金")]
    [InlineData("unemployment-subsidy", "失业补助金")]
    public void Says_where_and_how_to_apply_without_links_or_identifiers_within_two_parts(string serviceItem, string named)
    {
        var message = OutreachMessage.For(serviceItem, "海易办");

        Assert.Equal("outreach", message.Template);
        Assert.Contains(named, message.Body);
        Assert.Contains("全省任一社保经办机构", message.Body);
        Assert.Contains("“海易办”App", message.Body);
        Assert.DoesNotMatch(@"\d{6,}|https?://|www\.", message.Body);
        Assert.Equal(2, message.Parts);
        Assert.True(message.Parts <= SmsMessage.MaxParts);
    }

    [Fact]
    public void An_app_name_that_would_take_a_third_part_is_refused() =>
        Assert.Throws<ArgumentException>(() => OutreachMessage.For("unemployment-benefit", new string('办', 60)));
}
