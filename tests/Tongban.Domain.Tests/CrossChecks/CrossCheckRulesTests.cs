using Tongban.Domain.Claims;
using Tongban.Domain.CrossChecks;
using Tongban.Domain.Entitlements;
using Tongban.Domain.Notifications;
using Tongban.Domain.Payouts;
using Tongban.Domain.Tests.Support;

namespace Tongban.Domain.Tests.CrossChecks;

public class CrossCheckRulesTests
{
    /// <summary>Twelve months, November 2026 to October 2027.</summary>
    private static readonly Entitlement Twelve = new(12, 183000, new YearMonth(2026, 11), new YearMonth(2027, 10));

    private static MonthRange? Overlap(string since, string? until, DateOnly? stoppedOn = null) =>
        CrossCheckRules.Overlap(Twelve, stoppedOn, PartialMonthRule.StopMonthPaid, DateOnly.Parse(since),
            until is null ? null : DateOnly.Parse(until));

    [Fact]
    public void An_ongoing_period_elsewhere_overlaps_from_its_first_month_to_the_end_of_the_entitlement()
    {
        Assert.Equal(new MonthRange(new YearMonth(2027, 2), new YearMonth(2027, 10)), Overlap("2027-02-15", null));
        Assert.Equal(9, Overlap("2027-02-15", null)!.Value.Count);
    }

    [Fact]
    public void A_case_elsewhere_that_is_closed_now_still_overlaps_with_the_months_it_covered()
    {
        Assert.Equal(new MonthRange(new YearMonth(2026, 11), new YearMonth(2026, 12)), Overlap("2026-06-01", "2026-12-31"));
    }

    [Fact]
    public void A_period_that_ended_before_the_entitlement_began_or_starts_after_it_ends_shares_no_month()
    {
        Assert.Null(Overlap("2025-01-01", "2026-10-31"));
        Assert.Null(Overlap("2027-11-01", null));
    }

    [Fact]
    public void A_period_ending_before_it_starts_shares_no_month() => Assert.Null(Overlap("2027-03-01", "2027-02-01"));

    [Fact]
    public void Months_after_a_stop_are_not_paid_so_they_do_not_overlap()
    {
        Assert.Equal(new MonthRange(new YearMonth(2027, 1), new YearMonth(2027, 3)), Overlap("2027-01-10", null, new DateOnly(2027, 3, 5)));
        Assert.Null(Overlap("2027-04-01", null, new DateOnly(2027, 3, 5)));
    }

    [Fact]
    public void A_claim_is_held_from_the_earliest_month_of_its_open_matches_and_not_at_all_without_one()
    {
        Assert.Equal(new YearMonth(2027, 1), CrossCheckRules.SuspendedFrom([new YearMonth(2027, 3), new YearMonth(2027, 1)]));
        Assert.Null(CrossCheckRules.SuspendedFrom([]));
    }

    [Fact]
    public void Released_months_run_from_the_hold_to_the_latest_run_or_to_where_another_match_still_holds()
    {
        var jan = new YearMonth(2027, 1);
        Assert.Equal([jan, jan.AddMonths(1), jan.AddMonths(2)], CrossCheckRules.Released(jan, null, new YearMonth(2027, 3), Twelve.EndMonth));
        Assert.Equal([jan], CrossCheckRules.Released(jan, jan.AddMonths(1), new YearMonth(2027, 3), Twelve.EndMonth));
        Assert.Equal([jan, jan.AddMonths(1)], CrossCheckRules.Released(jan, null, new YearMonth(2027, 5), jan.AddMonths(1)));
        Assert.Empty(CrossCheckRules.Released(jan, null, new YearMonth(2026, 12), Twelve.EndMonth));
        Assert.Empty(CrossCheckRules.Released(jan, null, new YearMonth(2027, 3), null));
    }

    [Fact]
    public void The_decision_deadline_counts_working_days_on_the_holiday_calendar()
    {
        // Thursday 24 September 2026, 10:00 China time: 25–27 September and 1–7 October are off; the fourth working day
        // after is Thursday 8 October.
        var due = CrossCheckRules.DueAt(new DateTimeOffset(2026, 9, 24, 10, 0, 0, Deadlines.ChinaStandardTime), 4, Holidays.Calendar());
        Assert.Equal(new DateTimeOffset(2026, 10, 8, 23, 59, 59, Deadlines.ChinaStandardTime), due);
    }
}

public class CrossCheckTransitionsTests
{
    private static readonly DateOnly Today = new(2027, 2, 10);
    private static readonly Entitlement Twelve = new(12, 183000, new YearMonth(2026, 11), new YearMonth(2027, 10));
    private static readonly StaffMember SanyaReviewer = new("460200-01-r1", StaffRole.Reviewer, "460200-01", "460200");
    private static readonly StaffMember HaikouReviewer = new("460100-01-r1", StaffRole.Reviewer, "460100-01", "460100");

    private static Claim Claim(ClaimStatus status) => new(Guid.NewGuid(), "HN-2026-A00042", "unemployment-benefit", "counter", status,
        "460100-01", "460200", "460200-01", "460100-01-r1", Twelve, null, 7);

    private static readonly IReadOnlySet<YearMonth> NoneTaken = new HashSet<YearMonth>();

    private static CrossCheckMatch Match(string kind = CrossCheckKinds.Insured) => new("m-1", CrossCheckSources.National, "广东省", kind,
        new DateOnly(2027, 1, 15), null, new MonthRange(new YearMonth(2027, 1), new YearMonth(2027, 10)));

    [Fact]
    public void A_match_suspends_an_approved_claim_with_its_evidence_in_the_history_and_an_sms_that_says_why_and_how_to_contest()
    {
        var t = ClaimWorkflow.Suspend(Claim(ClaimStatus.Approved), Match(), NoneTaken, new DateOnly(2027, 2, 24));

        Assert.Equal(ClaimStatus.Suspended, t.Claim.Status);
        Assert.Equal(8, t.Claim.Version);
        var e = Assert.Single(t.Events);
        Assert.Equal("cross-check-suspended", e.Type);
        Assert.Equal("2027-01", e.Data!["overlapFrom"]);
        Assert.Equal("10", e.Data["overlapMonths"]);
        var sms = Assert.Single(t.Sms);
        Assert.Equal("cross-check-held", sms.Template);
        Assert.Contains("2027年1月起暂缓发放", sms.Body);
        Assert.Contains("参加社会保险", sms.Body);
        Assert.Contains("2月24日前", sms.Body);
        Assert.DoesNotContain("http", sms.Body);
        Assert.True(sms.Parts <= SmsMessage.MaxParts);
    }

    [Fact]
    public void The_hold_sms_names_the_first_month_no_run_has_taken_when_the_match_begins_in_a_paid_month()
    {
        HashSet<YearMonth> taken = [new(2026, 11), new(2026, 12), new(2027, 1), new(2027, 3)];

        var sms = Assert.Single(ClaimWorkflow.Suspend(Claim(ClaimStatus.Approved), Match(), taken, Today).Sms);

        Assert.Contains("自2027年2月起暂缓发放", sms.Body);
    }

    [Fact]
    public void A_match_beginning_in_a_month_not_yet_taken_is_held_from_that_month()
    {
        var overlap = new MonthRange(new YearMonth(2027, 1), new YearMonth(2027, 10));

        Assert.Equal(new YearMonth(2027, 1), CrossCheckRules.FirstHeld(overlap, new HashSet<YearMonth> { new(2026, 11), new(2026, 12) }));
    }

    [Fact]
    public void A_second_match_keeps_a_suspended_claim_suspended()
    {
        Assert.Equal(ClaimStatus.Suspended, ClaimWorkflow.Suspend(Claim(ClaimStatus.Suspended), Match(), NoneTaken, Today).Claim.Status);
    }

    [Theory]
    [InlineData(ClaimStatus.Terminated)]
    [InlineData(ClaimStatus.FinalReview)]
    [InlineData(ClaimStatus.Completed)]
    public void Only_a_claim_being_paid_is_suspended(ClaimStatus status)
    {
        var refused = Assert.Throws<TransitionRefused>(() => ClaimWorkflow.Suspend(Claim(status), Match(), NoneTaken, Today));
        Assert.Equal((RefusalKind.Conflict, "not-being-paid"), (refused.Kind, refused.Code));
    }

    [Fact]
    public void Dismissing_the_only_open_match_approves_the_claim_again_and_says_so()
    {
        var t = ClaimWorkflow.DismissMatch(Claim(ClaimStatus.Suspended), SanyaReviewer, Match(), "系统数据有误", othersOpen: false);

        Assert.Equal(ClaimStatus.Approved, t.Claim.Status);
        Assert.Equal("cross-check-dismissed", Assert.Single(t.Events).Type);
        Assert.Equal("cross-check-resumed", Assert.Single(t.Sms).Template);
    }

    [Fact]
    public void Dismissing_one_of_two_open_matches_keeps_the_claim_suspended()
    {
        var t = ClaimWorkflow.DismissMatch(Claim(ClaimStatus.Suspended), SanyaReviewer, Match(), "数据有误", othersOpen: true);
        Assert.Equal(ClaimStatus.Suspended, t.Claim.Status);
        Assert.Empty(t.Sms);
    }

    [Fact]
    public void A_decision_needs_an_opinion_and_a_reviewer_of_the_insuring_city()
    {
        var invalid = Assert.Throws<TransitionRefused>(() => ClaimWorkflow.DismissMatch(Claim(ClaimStatus.Suspended), SanyaReviewer, Match(), " ", false));
        Assert.Equal(("opinion", RefusalKind.Invalid, "opinion-required"), (invalid.Field, invalid.Kind, invalid.Code));
        var forbidden = Assert.Throws<TransitionRefused>(() =>
            ClaimWorkflow.ConfirmMatch(Claim(ClaimStatus.Suspended), HaikouReviewer, Match(), "属实", new DateOnly(2027, 1, 15), Today));
        Assert.Equal((RefusalKind.Forbidden, "not-insuring-city"), (forbidden.Kind, forbidden.Code));
    }

    [Fact]
    public void Confirming_stops_the_claim_from_the_stop_date_as_reemployment()
    {
        var (t, stop) = ClaimWorkflow.ConfirmMatch(Claim(ClaimStatus.Suspended), SanyaReviewer, Match(), "属实", new DateOnly(2027, 1, 15), Today);

        Assert.Equal("reemployed", stop);
        Assert.Equal(ClaimStatus.Terminated, t.Claim.Status);
        Assert.Equal(new DateOnly(2027, 1, 15), t.Claim.StoppedOn);
        Assert.Equal(["cross-check-confirmed", "stopped"], t.Events.Select(e => e.Type));
        Assert.Equal("2027-01-15", t.Events[0].Data!["stopDate"]);
    }

    [Fact]
    public void A_stop_date_outside_the_entitlement_or_in_the_future_is_refused_naming_the_field()
    {
        foreach (var (date, code) in new[]
                 {
                     (new DateOnly(2026, 10, 31), "stop-date-outside-entitlement"),
                     (new DateOnly(2027, 11, 1), "stop-date-outside-entitlement"),
                     (Today.AddDays(1), "date-in-future"),
                 })
        {
            var refused = Assert.Throws<TransitionRefused>(() =>
                ClaimWorkflow.ConfirmMatch(Claim(ClaimStatus.Suspended), SanyaReviewer, Match(), "属实", date, new DateOnly(2027, 12, 31) < date ? date : Today));
            Assert.Equal(("stopDate", RefusalKind.Invalid, code), (refused.Field, refused.Kind, refused.Code));
        }
    }

    [Fact]
    public void A_pension_match_confirms_as_a_pension_stop_and_a_death_waits_for_the_family_report()
    {
        Assert.Equal(StopEvents.PensionStarted,
            ClaimWorkflow.ConfirmMatch(Claim(ClaimStatus.Suspended), SanyaReviewer, Match(CrossCheckKinds.Pension), "属实", new DateOnly(2027, 1, 15), Today).StopEvent);
        var refused = Assert.Throws<TransitionRefused>(() =>
            ClaimWorkflow.ConfirmMatch(Claim(ClaimStatus.Suspended), SanyaReviewer, Match(CrossCheckKinds.Deceased), "属实", new DateOnly(2027, 1, 15), Today));
        Assert.Equal(("decision", "death-reported-by-family"), (refused.Field, refused.Code));
    }

    [Fact]
    public void Confirming_a_match_of_a_claim_already_stopped_only_records_the_confirmation()
    {
        var (t, stop) = ClaimWorkflow.ConfirmMatch(Claim(ClaimStatus.Terminated), SanyaReviewer, Match(), "属实", new DateOnly(2027, 1, 15), Today);
        Assert.Null(stop);
        Assert.Equal(ClaimStatus.Terminated, t.Claim.Status);
        Assert.Equal("cross-check-confirmed", Assert.Single(t.Events).Type);
        Assert.Empty(t.Sms);
    }
}
