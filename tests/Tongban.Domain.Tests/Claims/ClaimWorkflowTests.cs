using System.Globalization;
using System.Text.RegularExpressions;
using Tongban.Domain.Claims;
using Tongban.Domain.Entitlements;
using Tongban.Domain.Notifications;
using Tongban.Domain.Tests.Support;
using Tongban.Domain.Verification;

namespace Tongban.Domain.Tests.Claims;

public class ClaimWorkflowTests
{
    private const string CaseNumber = "HN-2026-A00042";
    private static readonly Guid Id = Guid.Parse("6f1c2a3e-0000-4000-8000-000000000042");
    private static readonly DateOnly Today = new(2026, 11, 22);

    private static readonly StaffMember HaikouReviewer = new("460100-01-r1", StaffRole.Reviewer, "460100-01", "460100");
    private static readonly StaffMember HaikouColleague = new("460100-01-r2", StaffRole.Reviewer, "460100-01", "460100");
    private static readonly StaffMember MeilanReviewer = new("460100-02-r1", StaffRole.Reviewer, "460100-02", "460100");
    private static readonly StaffMember SanyaReviewer = new("460200-01-r1", StaffRole.Reviewer, "460200-01", "460200");
    private static readonly StaffMember SanyaSupervisor = new("460200-sup", StaffRole.Supervisor, null, "460200");
    private static readonly StaffMember Admin = new("admin", StaffRole.Administrator, null, null);

    private static readonly Entitlement EighteenMonths = new(18, 183000, new YearMonth(2026, 11), new YearMonth(2028, 4));

    private static VerificationResult PassedIn(string insuringCity) => new([], insuringCity, 84, 0);

    private static Claim Submitted() =>
        ClaimWorkflow.Submit(Id, CaseNumber, "unemployment-benefit", "counter", "460100-01", "portal-hainan").Claim;

    /// <summary>Accepted at a Haikou counter, insured in Sanya unless told otherwise.</summary>
    private static Claim AtFirstReview(string insuringCity = "460200") =>
        ClaimWorkflow.CompleteVerification(Submitted(), PassedIn(insuringCity), "460100-01").Claim;

    private static Claim AtFinalReview() =>
        ClaimWorkflow.FirstReview(AtFirstReview(), HaikouReviewer, ReviewDecision.Approve, null,
            TestProvince.Sanya, TestProvince.Sanya.Offices[0]).Claim;

    private static Claim Approved() =>
        ClaimWorkflow.FinalReview(AtFinalReview(), SanyaReviewer, ReviewDecision.Approve, "材料齐全", () => EighteenMonths).Claim;

    private static Claim InStatus(ClaimStatus status) => AtFirstReview() with { Status = status };

    private static string[] Types(Transition t) => [.. t.Events.Select(e => e.Type)];
    private static string[] Templates(Transition t) => [.. t.Sms.Select(s => s.Template)];

    /// <summary>The refusal a command meets: its kind (the status) and its code (which refusal, as portals read it).</summary>
    private static (RefusalKind Kind, string Code) Refusal(Action command)
    {
        var refused = Assert.Throws<TransitionRefused>(command);
        return (refused.Kind, refused.Code);
    }

    [Fact]
    public void Submitted_claim_is_verified_first_and_registers_the_person_as_unemployed()
    {
        var t = ClaimWorkflow.Submit(Id, CaseNumber, "unemployment-benefit", "counter", "460100-01", "portal-hainan");

        Assert.Equal(ClaimStatus.Verifying, t.Claim.Status);
        Assert.Equal(1, t.Claim.Version);
        Assert.Equal("460100-01", t.Claim.AcceptingOffice);
        Assert.Equal("460100-01", t.Claim.AssignedOffice);
        Assert.Null(t.Claim.InsuringCity);
        Assert.Equal(["submitted", "registered-unemployed"], Types(t));
        Assert.Equal("portal-hainan", t.Events[0].Actor);
        Assert.Equal(["received"], Templates(t));
        Assert.Contains(CaseNumber, t.Sms[0].Body);
    }

    [Fact]
    public void Failed_verification_rejects_and_tells_the_applicant_why()
    {
        var failed = new VerificationResult([new Finding("insufficient-contributions", "累计缴费11个月，不满12个月")], "460100", 11, 0);

        var t = ClaimWorkflow.CompleteVerification(Submitted(), failed, null);

        Assert.Equal(ClaimStatus.Rejected, t.Claim.Status);
        Assert.Equal("460100", t.Claim.InsuringCity);
        Assert.Equal(["verification-failed"], Types(t));
        Assert.Equal("insufficient-contributions", t.Events[0].Data!["findings"]);
        Assert.Equal("11", t.Events[0].Data!["contributionMonths"]);
        Assert.Equal(["verification-failed"], Templates(t));
        Assert.Contains("累计缴费11个月，不满12个月", t.Sms[0].Body);
    }

    [Fact]
    public void Passed_verification_goes_to_first_review_at_the_given_office()
    {
        var t = ClaimWorkflow.CompleteVerification(Submitted(), PassedIn("460200"), "460100-01");

        Assert.Equal(ClaimStatus.FirstReview, t.Claim.Status);
        Assert.Equal("460200", t.Claim.InsuringCity);
        Assert.Equal("460100-01", t.Claim.AssignedOffice);
        Assert.Equal(["verified", "assigned"], Types(t));
        Assert.Equal("460100-01", t.Events[1].Office);
        Assert.Empty(t.Sms);
    }

    [Fact]
    public void Online_claim_goes_to_an_office_of_the_insuring_city()
    {
        var online = ClaimWorkflow.Submit(Id, CaseNumber, "unemployment-benefit", "online", null, "portal-hainan").Claim;

        var t = ClaimWorkflow.CompleteVerification(online, PassedIn("460200"), "460200-01");

        Assert.Null(t.Claim.AcceptingOffice);
        Assert.Equal("460200-01", t.Claim.AssignedOffice);
    }

    [Fact]
    public void Passed_verification_needs_an_office_for_first_review()
    {
        Assert.Throws<ArgumentNullException>(() => ClaimWorkflow.CompleteVerification(Submitted(), PassedIn("460200"), null));
    }

    [Theory]
    [InlineData(ClaimStatus.FirstReview)]
    [InlineData(ClaimStatus.FinalReview)]
    [InlineData(ClaimStatus.Approved)]
    [InlineData(ClaimStatus.Rejected)]
    public void Verification_completes_only_while_verifying(ClaimStatus status)
    {
        Assert.Equal((RefusalKind.Conflict, "not-at-stage"),
            Refusal(() => ClaimWorkflow.CompleteVerification(InStatus(status), PassedIn("460200"), "460100-01")));
    }

    [Fact]
    public void First_review_approval_routes_the_claim_to_the_insuring_city()
    {
        var t = ClaimWorkflow.FirstReview(AtFirstReview(), HaikouReviewer, ReviewDecision.Approve, null,
            TestProvince.Sanya, TestProvince.Sanya.Offices[0]);

        Assert.Equal(ClaimStatus.FinalReview, t.Claim.Status);
        Assert.Equal("460200-01", t.Claim.AssignedOffice);
        Assert.Equal("460100-01-r1", t.Claim.FirstReviewer);
        Assert.Equal(["first-review-approved", "routed"], Types(t));
        Assert.Equal("460100-01", t.Events[0].Office);
        Assert.Equal("460200-01", t.Events[1].Office);
        Assert.Equal("460200", t.Events[1].Data!["insuringCity"]);
        Assert.Equal(["first-review-passed", "routed"], Templates(t));
        Assert.Contains("三亚", t.Sms[1].Body);
    }

    [Fact]
    public void First_review_approval_in_the_insuring_city_routes_the_claim_without_telling_the_applicant_it_went_elsewhere()
    {
        var t = ClaimWorkflow.FirstReview(AtFirstReview("460100"), HaikouReviewer, ReviewDecision.Approve, null,
            TestProvince.Haikou, TestProvince.Haikou.Offices[1]);

        Assert.Equal(ClaimStatus.FinalReview, t.Claim.Status);
        Assert.Equal("460100-02", t.Claim.AssignedOffice);
        Assert.Equal(["first-review-approved", "routed"], Types(t));
        Assert.Equal("460100", t.Events[1].Data!["insuringCity"]);
        Assert.Equal(["first-review-passed"], Templates(t));
    }

    [Fact]
    public void Supervisor_of_the_assigned_office_may_do_the_first_review()
    {
        var supervisor = new StaffMember("460100-sup", StaffRole.Supervisor, "460100-01", "460100");

        var t = ClaimWorkflow.FirstReview(AtFirstReview(), supervisor, ReviewDecision.Approve, null,
            TestProvince.Sanya, TestProvince.Sanya.Offices[0]);

        Assert.Equal(ClaimStatus.FinalReview, t.Claim.Status);
    }

    [Fact]
    public void First_review_at_another_office_of_the_same_city_is_forbidden()
    {
        Assert.Equal((RefusalKind.Forbidden, "not-assigned-office"), Refusal(() => ClaimWorkflow.FirstReview(AtFirstReview(), MeilanReviewer,
            ReviewDecision.Approve, null, TestProvince.Sanya, TestProvince.Sanya.Offices[0])));
    }

    [Fact]
    public void First_review_in_the_insuring_city_instead_of_the_accepting_office_is_forbidden()
    {
        Assert.Equal((RefusalKind.Forbidden, "not-assigned-office"), Refusal(() => ClaimWorkflow.FirstReview(AtFirstReview(), SanyaReviewer,
            ReviewDecision.Approve, null, TestProvince.Sanya, TestProvince.Sanya.Offices[0])));
    }

    [Fact]
    public void Administrator_may_not_review()
    {
        Assert.Equal((RefusalKind.Forbidden, "not-a-reviewer"), Refusal(() => ClaimWorkflow.FirstReview(AtFirstReview(), Admin,
            ReviewDecision.Approve, null, TestProvince.Sanya, TestProvince.Sanya.Offices[0])));
        Assert.Equal((RefusalKind.Forbidden, "not-a-reviewer"), Refusal(() => ClaimWorkflow.FinalReview(AtFinalReview(), Admin,
            ReviewDecision.Approve, null, () => EighteenMonths)));
    }

    [Fact]
    public void What_staff_are_shown_about_deciding_a_case_is_what_the_decision_would_answer()
    {
        StaffMember[] staff = [HaikouReviewer, HaikouColleague, MeilanReviewer, SanyaReviewer, SanyaSupervisor, Admin];
        foreach (var member in staff)
        {
            string? Code(Action decide)
            {
                try { decide(); return null; }
                catch (TransitionRefused refused) { return refused.Code; }
            }
            Assert.Equal(Code(() => ClaimWorkflow.FirstReview(AtFirstReview(), member, ReviewDecision.Approve, null,
                TestProvince.Sanya, TestProvince.Sanya.Offices[0])), ClaimWorkflow.DecisionRefusal(AtFirstReview(), member)?.Code);
            Assert.Equal(Code(() => ClaimWorkflow.FinalReview(AtFinalReview(), member, ReviewDecision.Approve, null, () => EighteenMonths)),
                ClaimWorkflow.DecisionRefusal(AtFinalReview(), member)?.Code);
        }
        // Who may decide where, as the shown refusals say it: the Haikou office first, Sanya (not the first reviewer) after.
        Assert.Equal([null, null, "not-assigned-office", "not-assigned-office", "not-assigned-office", "not-a-reviewer"],
            staff.Select(m => ClaimWorkflow.DecisionRefusal(AtFirstReview(), m)?.Code));
        Assert.Equal(["not-insuring-city", "not-insuring-city", "not-insuring-city", null, null, "not-a-reviewer"],
            staff.Select(m => ClaimWorkflow.DecisionRefusal(AtFinalReview(), m)?.Code));
        Assert.Equal("first-reviewer-may-not-final-review", ClaimWorkflow.DecisionRefusal(
            AtFinalReview() with { FirstReviewer = SanyaReviewer.Username }, SanyaReviewer)?.Code);
        Assert.Null(ClaimWorkflow.DecisionRefusal(Approved(), SanyaReviewer));
    }

    [Fact]
    public void Deciding_at_a_stage_is_refused_as_the_decision_is_whatever_its_content()
    {
        StaffMember[] staff = [HaikouReviewer, MeilanReviewer, SanyaReviewer, SanyaSupervisor, Admin];
        Claim[] claims = [AtFirstReview(), AtFinalReview(), AtFinalReview() with { FirstReviewer = SanyaReviewer.Username }, Approved()];
        foreach (var member in staff)
        foreach (var claim in claims)
        foreach (var decision in new[] { ReviewDecision.Approve, ReviewDecision.Reject })
        {
            // A rejection without an opinion: invalid content is judged only once who may decide where has been.
            string? Code(Action decide)
            {
                try { decide(); return null; }
                catch (TransitionRefused refused) { return refused.Kind == RefusalKind.Invalid ? null : refused.Code; }
            }
            Assert.Equal(Code(() => ClaimWorkflow.FirstReview(claim, member, decision, null, TestProvince.Sanya, TestProvince.Sanya.Offices[0])),
                ClaimWorkflow.DecisionRefusal(claim, member, ClaimStatus.FirstReview)?.Code);
            Assert.Equal(Code(() => ClaimWorkflow.FinalReview(claim, member, decision, null, () => EighteenMonths)),
                ClaimWorkflow.DecisionRefusal(claim, member, ClaimStatus.FinalReview)?.Code);
        }
        // The stage comes before who decides (a case that moved on is a 409 to everyone); at its stage, the refusal shown.
        Assert.Equal("not-at-stage", ClaimWorkflow.DecisionRefusal(AtFirstReview(), MeilanReviewer, ClaimStatus.FinalReview)?.Code);
        Assert.Equal("not-assigned-office", ClaimWorkflow.DecisionRefusal(AtFirstReview(), MeilanReviewer, ClaimStatus.FirstReview)?.Code);
        Assert.Equal("not-a-reviewer", ClaimWorkflow.DecisionRefusal(AtFinalReview(), Admin, ClaimStatus.FinalReview)?.Code);
        Assert.Null(ClaimWorkflow.DecisionRefusal(AtFinalReview(), SanyaReviewer, ClaimStatus.FinalReview));
    }

    [Fact]
    public void Administrator_of_the_right_office_may_still_not_review()
    {
        var admin = new StaffMember("460100-admin", StaffRole.Administrator, "460100-01", "460100");

        Assert.Equal((RefusalKind.Forbidden, "not-a-reviewer"), Refusal(() => ClaimWorkflow.FirstReview(AtFirstReview(), admin,
            ReviewDecision.Approve, null, TestProvince.Sanya, TestProvince.Sanya.Offices[0])));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void First_review_rejection_without_an_opinion_is_invalid(string? opinion)
    {
        Assert.Equal((RefusalKind.Invalid, "opinion-required"), Refusal(() => ClaimWorkflow.FirstReview(AtFirstReview(), HaikouReviewer,
            ReviewDecision.Reject, opinion, TestProvince.Sanya, TestProvince.Sanya.Offices[0])));
    }

    [Fact]
    public void First_review_rejection_ends_the_claim_with_the_opinion()
    {
        var t = ClaimWorkflow.FirstReview(AtFirstReview(), HaikouReviewer, ReviewDecision.Reject, "  劳动合同尚未解除  ",
            TestProvince.Sanya, TestProvince.Sanya.Offices[0]);

        Assert.Equal(ClaimStatus.Rejected, t.Claim.Status);
        Assert.Equal("460100-01-r1", t.Claim.FirstReviewer);
        Assert.Equal(["first-review-rejected"], Types(t));
        Assert.Equal("劳动合同尚未解除", t.Events[0].Opinion);
        Assert.Equal(["first-review-rejected"], Templates(t));
        Assert.Contains("劳动合同尚未解除", t.Sms[0].Body);
        Assert.False(t.Claim.Status.IsOpen());
    }

    [Theory]
    [InlineData(ClaimStatus.Verifying)]
    [InlineData(ClaimStatus.FinalReview)]
    [InlineData(ClaimStatus.Approved)]
    [InlineData(ClaimStatus.Rejected)]
    [InlineData(ClaimStatus.Suspended)]
    [InlineData(ClaimStatus.Completed)]
    [InlineData(ClaimStatus.Terminated)]
    public void First_review_only_at_the_first_review_stage(ClaimStatus status)
    {
        Assert.Equal((RefusalKind.Conflict, "not-at-stage"), Refusal(() => ClaimWorkflow.FirstReview(InStatus(status), HaikouReviewer,
            ReviewDecision.Approve, null, TestProvince.Sanya, TestProvince.Sanya.Offices[0])));
    }

    [Fact]
    public void Stage_conflict_is_reported_before_scope()
    {
        // A second click from another office on an already reviewed case: the case moved on (409), not 403.
        Assert.Equal((RefusalKind.Conflict, "not-at-stage"), Refusal(() => ClaimWorkflow.FirstReview(AtFinalReview(), MeilanReviewer,
            ReviewDecision.Approve, null, TestProvince.Sanya, TestProvince.Sanya.Offices[0])));
    }

    [Fact]
    public void Final_review_approval_fixes_the_entitlement()
    {
        var t = ClaimWorkflow.FinalReview(AtFinalReview(), SanyaReviewer, ReviewDecision.Approve, null, () => EighteenMonths);

        Assert.Equal(ClaimStatus.Approved, t.Claim.Status);
        Assert.Equal(EighteenMonths, t.Claim.Entitlement);
        Assert.Equal(["final-review-approved"], Types(t));
        var data = t.Events[0].Data!;
        Assert.Equal("18", data["months"]);
        Assert.Equal("183000", data["monthlyFen"]);
        Assert.Equal("2026-11", data["startMonth"]);
        Assert.Equal("2028-04", data["endMonth"]);
        Assert.True(t.Claim.Status.IsOpen());
    }

    [Fact]
    public void Approval_SMS_gives_the_months_the_monthly_amount_and_the_first_month()
    {
        var t = ClaimWorkflow.FinalReview(AtFinalReview(), SanyaReviewer, ReviewDecision.Approve, null, () => EighteenMonths);

        var sms = Assert.Single(t.Sms);
        Assert.Equal("approved", sms.Template);
        Assert.Contains("18个月", sms.Body);
        Assert.Contains("1830.00", sms.Body);
        Assert.Contains("2026年11月", sms.Body);
        Assert.Contains(CaseNumber, sms.Body);
    }

    [Fact]
    public void Approval_of_an_entitlement_continued_to_the_retirement_age_records_and_announces_the_continuation()
    {
        var continued = new Entitlement(12, 183000, new YearMonth(2026, 11), new YearMonth(2028, 6));

        var t = ClaimWorkflow.FinalReview(AtFinalReview(), SanyaReviewer, ReviewDecision.Approve, null, () => continued);

        Assert.Equal("8", t.Events.Single().Data!["continuedMonths"]);
        Assert.Contains("续发至2028年6月", t.Sms.Single().Body);
    }

    [Fact]
    public void Completion_counts_the_continued_months_among_those_paid()
    {
        var approved = Approved() with { Entitlement = new Entitlement(12, 183000, new YearMonth(2026, 11), new YearMonth(2028, 6)) };

        var t = ClaimWorkflow.Complete(approved);

        Assert.Equal("20", t.Events.Single().Data!["months"]);
        Assert.Contains("20个月已全部发放完毕", t.Sms.Single().Body);
    }

    [Fact]
    public void Entitlement_is_fixed_only_when_every_check_has_passed()
    {
        var calls = 0;
        Entitlement Fix() { calls++; return EighteenMonths; }

        Refusal(() => ClaimWorkflow.FinalReview(AtFinalReview(), HaikouColleague, ReviewDecision.Approve, null, Fix));
        Refusal(() => ClaimWorkflow.FinalReview(AtFirstReview(), SanyaReviewer, ReviewDecision.Approve, null, Fix));
        ClaimWorkflow.FinalReview(AtFinalReview(), SanyaReviewer, ReviewDecision.Reject, "不符合条件", Fix);
        Assert.Equal(0, calls);

        ClaimWorkflow.FinalReview(AtFinalReview(), SanyaReviewer, ReviewDecision.Approve, null, Fix);
        Assert.Equal(1, calls);
    }

    [Fact]
    public void City_supervisor_of_the_insuring_city_may_do_the_final_review()
    {
        var t = ClaimWorkflow.FinalReview(AtFinalReview(), SanyaSupervisor, ReviewDecision.Approve, null, () => EighteenMonths);

        Assert.Equal(ClaimStatus.Approved, t.Claim.Status);
    }

    [Fact]
    public void Final_review_outside_the_insuring_city_is_forbidden()
    {
        Assert.Equal((RefusalKind.Forbidden, "not-insuring-city"), Refusal(() =>
            ClaimWorkflow.FinalReview(AtFinalReview(), HaikouColleague, ReviewDecision.Approve, null, () => EighteenMonths)));
    }

    [Fact]
    public void First_reviewer_may_not_also_do_the_final_review()
    {
        // Accepted and insured in Haikou: the first reviewer is in the right city, yet not the right person.
        var atFinal = ClaimWorkflow.FirstReview(AtFirstReview(insuringCity: "460100"), HaikouReviewer, ReviewDecision.Approve,
            null, TestProvince.Haikou, TestProvince.Haikou.Offices[1]).Claim;

        Assert.Equal((RefusalKind.Forbidden, "first-reviewer-may-not-final-review"), Refusal(() =>
            ClaimWorkflow.FinalReview(atFinal, HaikouReviewer, ReviewDecision.Approve, null, () => EighteenMonths)));
        Assert.Equal(ClaimStatus.Approved,
            ClaimWorkflow.FinalReview(atFinal, MeilanReviewer, ReviewDecision.Approve, null, () => EighteenMonths).Claim.Status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(" ")]
    public void Final_review_rejection_without_an_opinion_is_invalid(string? opinion)
    {
        Assert.Equal((RefusalKind.Invalid, "opinion-required"), Refusal(() =>
            ClaimWorkflow.FinalReview(AtFinalReview(), SanyaReviewer, ReviewDecision.Reject, opinion, () => EighteenMonths)));
    }

    [Fact]
    public void Final_review_rejection_ends_the_claim_without_an_entitlement()
    {
        var t = ClaimWorkflow.FinalReview(AtFinalReview(), SanyaReviewer, ReviewDecision.Reject, "停保原因与单位申报不符", () => EighteenMonths);

        Assert.Equal(ClaimStatus.Rejected, t.Claim.Status);
        Assert.Null(t.Claim.Entitlement);
        Assert.Equal(["final-review-rejected"], Types(t));
        Assert.Equal(["final-review-rejected"], Templates(t));
        Assert.Contains("停保原因与单位申报不符", t.Sms[0].Body);
    }

    [Theory]
    [InlineData(ClaimStatus.Verifying)]
    [InlineData(ClaimStatus.FirstReview)]
    [InlineData(ClaimStatus.Approved)]
    [InlineData(ClaimStatus.Rejected)]
    [InlineData(ClaimStatus.Suspended)]
    [InlineData(ClaimStatus.Terminated)]
    public void Final_review_only_at_the_final_review_stage(ClaimStatus status)
    {
        var claim = AtFinalReview() with { Status = status };

        Assert.Equal((RefusalKind.Conflict, "not-at-stage"), Refusal(() =>
            ClaimWorkflow.FinalReview(claim, SanyaReviewer, ReviewDecision.Approve, null, () => EighteenMonths)));
    }

    [Fact]
    public void Reported_stop_ends_the_entitlement_from_its_date_at_any_office()
    {
        // Reported in Haikou for a benefit paid by Sanya (就近报告).
        var t = ClaimWorkflow.ReportStop(Approved(), HaikouReviewer, "reemployed", new DateOnly(2026, 11, 16), Today);

        Assert.Equal(ClaimStatus.Terminated, t.Claim.Status);
        Assert.Equal(new DateOnly(2026, 11, 16), t.Claim.StoppedOn);
        Assert.Equal(["stopped"], Types(t));
        Assert.Equal("460100-01", t.Events[0].Office);
        Assert.Equal("reemployed", t.Events[0].Data!["event"]);
        Assert.Equal("2026-11-16", t.Events[0].Data!["date"]);
        Assert.Equal(["stopped"], Templates(t));
        Assert.Contains("重新就业", t.Sms[0].Body);
        Assert.Contains("2026年11月16日", t.Sms[0].Body);
        Assert.False(t.Claim.Status.IsOpen());
    }

    [Fact]
    public void Suspended_claim_can_be_stopped()
    {
        var suspended = Approved() with { Status = ClaimStatus.Suspended };

        Assert.Equal(ClaimStatus.Terminated,
            ClaimWorkflow.ReportStop(suspended, SanyaReviewer, "pension-started", Today, Today).Claim.Status);
    }

    [Theory]
    [InlineData("reemployed")]
    [InlineData("pension-started")]
    [InlineData("enlisted")]
    [InlineData("emigrated")]
    [InlineData("imprisoned")]
    [InlineData("refused-job")]
    public void Every_stop_event_of_the_contract_is_accepted(string eventType)
    {
        var t = ClaimWorkflow.ReportStop(Approved(), SanyaReviewer, eventType, Today, Today);

        Assert.Equal(ClaimStatus.Terminated, t.Claim.Status);
        Assert.Contains(StopEvents.Descriptions[eventType], t.Sms[0].Body);
    }

    [Fact]
    public void Stop_dated_in_the_future_is_invalid_and_names_the_date()
    {
        var refused = Assert.Throws<TransitionRefused>(() => ClaimWorkflow.ReportStop(Approved(), SanyaReviewer, "reemployed", Today.AddDays(1), Today));

        Assert.Equal((RefusalKind.Invalid, "date-in-future", "date"), (refused.Kind, refused.Code, refused.Field));
    }

    [Fact]
    public void Stop_dated_before_the_benefit_began_is_invalid_and_fixes_no_death_benefits()
    {
        var asked = false;

        Assert.Equal((RefusalKind.Invalid, "event-before-benefit"), Refusal(() => ClaimWorkflow.ReportStop(Approved(), SanyaReviewer, StopEvents.Died,
            new DateOnly(2026, 10, 31), Today, () => { asked = true; return new Tongban.Domain.Payouts.DeathBenefits(80000, 6, 6 * 183000); },
            new Relative("王丽", "spouse", "13912345678"))));
        Assert.False(asked);
        Assert.Equal(ClaimStatus.Terminated,
            ClaimWorkflow.ReportStop(Approved(), SanyaReviewer, "reemployed", new DateOnly(2026, 11, 1), Today).Claim.Status);
    }

    [Fact]
    public void Unknown_stop_event_is_invalid()
    {
        Assert.Equal((RefusalKind.Invalid, "unknown-event-type"),
            Refusal(() => ClaimWorkflow.ReportStop(Approved(), SanyaReviewer, "moved-house", Today, Today)));
    }

    [Theory]
    [InlineData(ClaimStatus.Verifying)]
    [InlineData(ClaimStatus.FirstReview)]
    [InlineData(ClaimStatus.FinalReview)]
    [InlineData(ClaimStatus.Rejected)]
    [InlineData(ClaimStatus.Completed)]
    [InlineData(ClaimStatus.Terminated)]
    public void Only_an_approved_or_suspended_claim_can_be_stopped(ClaimStatus status)
    {
        Assert.Equal((RefusalKind.Conflict, "not-being-paid"),
            Refusal(() => ClaimWorkflow.ReportStop(InStatus(status), SanyaReviewer, "reemployed", Today, Today)));
    }

    [Fact]
    public void Version_increases_by_one_with_every_transition()
    {
        var submitted = ClaimWorkflow.Submit(Id, CaseNumber, "unemployment-benefit", "counter", "460100-01", "portal-hainan").Claim;
        var verified = ClaimWorkflow.CompleteVerification(submitted, PassedIn("460200"), "460100-01").Claim;
        var firstReviewed = ClaimWorkflow.FirstReview(verified, HaikouReviewer, ReviewDecision.Approve, null,
            TestProvince.Sanya, TestProvince.Sanya.Offices[0]).Claim;
        var approved = ClaimWorkflow.FinalReview(firstReviewed, SanyaReviewer, ReviewDecision.Approve, null, () => EighteenMonths).Claim;
        var stopped = ClaimWorkflow.ReportStop(approved, SanyaReviewer, "reemployed", Today, Today).Claim;

        Assert.Equal([1, 2, 3, 4, 5], new[] { submitted, verified, firstReviewed, approved, stopped }.Select(c => c.Version));
        Assert.All([verified, firstReviewed, approved, stopped], c => Assert.Equal(Id, c.Id));
    }

    [Fact]
    public void Rejections_also_increase_the_version()
    {
        var rejected = ClaimWorkflow.FirstReview(AtFirstReview(), HaikouReviewer, ReviewDecision.Reject, "不符合条件",
            TestProvince.Sanya, TestProvince.Sanya.Offices[0]).Claim;

        Assert.Equal(3, rejected.Version);
    }

    [Fact]
    public void Stop_date_is_recorded_as_an_ISO_date_whatever_the_server_culture()
    {
        var original = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("th-TH");

            var t = ClaimWorkflow.ReportStop(Approved(), SanyaReviewer, "reemployed", new DateOnly(2026, 11, 16), Today);

            Assert.Equal("2026-11-16", t.Events[0].Data!["date"]);
        }
        finally
        {
            CultureInfo.CurrentCulture = original;
        }
    }

    [Fact]
    public void No_SMS_carries_an_identity_or_account_number_or_a_link()
    {
        const string idNumber = "11010519491231002X";
        const string account = "6217001234567894321";
        var verificationFailed = ClaimWorkflow.CompleteVerification(Submitted(),
            new VerificationResult([new Finding("voluntary-separation", "最近一次离职为本人意愿中断就业")], "460100", 84, 0), null);
        // Reviewers type free text: an opinion may quote the applicant's numbers or paste a link.
        var firstRejected = ClaimWorkflow.FirstReview(AtFirstReview(), HaikouReviewer, ReviewDecision.Reject,
            $"身份证号{idNumber}与登记信息不符", TestProvince.Sanya, TestProvince.Sanya.Offices[0]);
        var finalRejected = ClaimWorkflow.FinalReview(AtFinalReview(), SanyaReviewer, ReviewDecision.Reject,
            $"银行卡{account}（6217 0012 3456 7894 321）已销户，详见https://example.com/notice?id=1", () => EighteenMonths);
        var happyPath = new[]
        {
            ClaimWorkflow.Submit(Id, CaseNumber, "unemployment-benefit", "counter", "460100-01", "portal-hainan"),
            ClaimWorkflow.FirstReview(AtFirstReview(), HaikouReviewer, ReviewDecision.Approve, null, TestProvince.Sanya, TestProvince.Sanya.Offices[0]),
            ClaimWorkflow.FinalReview(AtFinalReview(), SanyaReviewer, ReviewDecision.Approve, null, () => EighteenMonths),
            ClaimWorkflow.ReportStop(Approved(), SanyaReviewer, "reemployed", Today, Today),
        };

        var bodies = happyPath.Concat([verificationFailed, firstRejected, finalRejected]).SelectMany(t => t.Sms).Select(s => s.Body).ToList();

        Assert.Equal(8, bodies.Count);
        Assert.All(bodies, body =>
        {
            Assert.DoesNotMatch(new Regex(@"\d{17}[\dXx]"), body);
            Assert.DoesNotMatch(new Regex(@"\d(?:[ -]?\d){15,}"), body);
            Assert.DoesNotContain("http", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("example.com", body, StringComparison.OrdinalIgnoreCase);
        });
        // The applicant still learns which kind of number was wrong.
        Assert.Contains("身份证号", firstRejected.Sms[0].Body);
        Assert.Contains("002X", firstRejected.Sms[0].Body);
    }

    private static Claim RejectedByVerification() =>
        ClaimWorkflow.CompleteVerification(Submitted(), new VerificationResult([new Finding("identity-not-found", "未查询到您的参保记录")], null, 0, 0), null).Claim;

    [Fact]
    public void An_automatic_rejection_that_the_new_data_clear_goes_to_first_review_with_an_SMS()
    {
        var rejected = RejectedByVerification();

        var t = ClaimWorkflow.Recheck(rejected, PassedIn("460200"), "460100-01");

        Assert.NotNull(t);
        Assert.Equal(ClaimStatus.FirstReview, t.Claim.Status);
        Assert.Equal("460100-01", t.Claim.AssignedOffice);
        Assert.Equal("460200", t.Claim.InsuringCity);
        Assert.Equal(rejected.Version + 1, t.Claim.Version);
        Assert.Equal(["rechecked", "assigned"], Types(t));
        Assert.Equal(["recheck-passed"], Templates(t));
    }

    [Fact]
    public void An_automatic_rejection_the_data_still_rule_out_stays_as_it_is()
    {
        var stillOut = new VerificationResult([new Finding("voluntary-separation", "最近一次离职为本人意愿中断就业")], "460200", 30, 0);

        Assert.Null(ClaimWorkflow.Recheck(RejectedByVerification(), stillOut, null));
    }

    [Fact]
    public void A_reviewers_rejection_and_an_open_claim_are_not_rechecked()
    {
        var rejectedByReviewer = ClaimWorkflow.FirstReview(AtFirstReview(), HaikouReviewer, ReviewDecision.Reject, "本人已就业",
            TestProvince.Sanya, TestProvince.Sanya.Offices[0]).Claim;

        Assert.Equal((RefusalKind.Conflict, "not-rejected-by-verification"), Refusal(() => ClaimWorkflow.Recheck(rejectedByReviewer, PassedIn("460200"), "460100-01")));
        Assert.Equal((RefusalKind.Conflict, "not-rejected-by-verification"), Refusal(() => ClaimWorkflow.Recheck(AtFirstReview(), PassedIn("460200"), "460100-01")));
    }
}
