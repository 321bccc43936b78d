using Tongban.Domain.Claims;
using Tongban.Domain.Tests.Support;
using Tongban.Domain.Verification;

namespace Tongban.Domain.Tests.Claims;

public class ReassignmentTests
{
    private static readonly StaffMember HaikouSupervisor = new("460100-sup", StaffRole.Supervisor, null, "460100");
    private static readonly StaffMember SanyaSupervisor = new("460200-sup", StaffRole.Supervisor, null, "460200");
    private static readonly StaffMember HaikouReviewer = new("460100-01-r1", StaffRole.Reviewer, "460100-01", "460100");
    private static readonly Guid Id = Guid.Parse("6f1c2a3e-0000-4000-8000-000000000077");

    /// <summary>A counter claim at Haikou's first office, insured in <paramref name="insuringCity"/>.</summary>
    private static Claim AtFirstReview(string insuringCity = "460200") =>
        ClaimWorkflow.CompleteVerification(
            ClaimWorkflow.Submit(Id, "HN-2026-R1", "unemployment-benefit", "counter", "460100-01", "portal").Claim,
            new VerificationResult([], insuringCity, 84, 0), "460100-01").Claim;

    private static (RefusalKind Kind, string Code) RefusalOf(Action reassign)
    {
        var refused = Assert.Throws<TransitionRefused>(reassign);
        return (refused.Kind, refused.Code);
    }

    [Fact]
    public void The_supervisor_moves_a_case_to_another_office_of_the_city_with_the_reason_in_the_history()
    {
        var claim = AtFirstReview();

        var transition = Reassignment.Reassign(claim, HaikouSupervisor, TestProvince.Haikou, TestProvince.Haikou.Offices[1], null, null, " 一分中心人手不足 ");

        Assert.Equal(("460100-02", ClaimStatus.FirstReview, claim.Version + 1),
            (transition.Claim.AssignedOffice, transition.Claim.Status, transition.Claim.Version));
        var entry = Assert.Single(transition.Events);
        Assert.Equal(("reassigned", "460100-sup", "460100-02", "一分中心人手不足"), (entry.Type, entry.Actor, entry.Office, entry.Opinion));
        Assert.Equal("460100-01", entry.Data!["from"]);
        Assert.Empty(transition.Sms);
    }

    [Fact]
    public void A_named_reviewer_is_recorded_and_naming_one_at_the_same_office_is_a_reassignment()
    {
        var transition = Reassignment.Reassign(AtFirstReview(), HaikouSupervisor, TestProvince.Haikou, TestProvince.Haikou.Offices[0],
            "460100-01-r2", null, null);

        Assert.Equal("460100-01-r2", transition.Events[0].Data!["reviewer"]);
        Assert.Equal("460100-01", transition.Claim.AssignedOffice);
    }

    [Fact]
    public void A_reviewer_or_another_citys_supervisor_may_not_reassign()
    {
        var claim = AtFirstReview();
        var meilan = TestProvince.Haikou.Offices[1];

        Assert.Equal((RefusalKind.Forbidden, "not-city-supervisor"), RefusalOf(() => Reassignment.Reassign(claim, HaikouReviewer, TestProvince.Haikou, meilan, null, null, null)));
        Assert.Equal((RefusalKind.Forbidden, "not-city-supervisor"), RefusalOf(() => Reassignment.Reassign(claim, SanyaSupervisor, TestProvince.Haikou, meilan, null, null, null)));
        // The Sanya supervisor's own city: the case is held in Haikou.
        Assert.Equal((RefusalKind.Forbidden, "case-outside-city"), RefusalOf(() =>
            Reassignment.Reassign(claim, SanyaSupervisor, TestProvince.Sanya, TestProvince.Sanya.Offices[0], null, null, null)));
    }

    [Fact]
    public void An_office_of_another_city_is_refused()
    {
        Assert.Equal((RefusalKind.Forbidden, "office-outside-city"), RefusalOf(() =>
            Reassignment.Reassign(AtFirstReview(), HaikouSupervisor, TestProvince.Haikou, TestProvince.Sanya.Offices[0], null, null, null)));
    }

    [Fact]
    public void A_case_already_there_or_no_longer_at_review_is_a_conflict()
    {
        var claim = AtFirstReview();
        var rejected = ClaimWorkflow.FirstReview(claim, HaikouReviewer, ReviewDecision.Reject, "材料不符", TestProvince.Sanya,
            TestProvince.Sanya.Offices[0]).Claim;

        Assert.Equal((RefusalKind.Conflict, "already-assigned"), RefusalOf(() =>
            Reassignment.Reassign(claim, HaikouSupervisor, TestProvince.Haikou, TestProvince.Haikou.Offices[0], null, null, null)));
        Assert.Equal((RefusalKind.Conflict, "not-waiting-for-review"), RefusalOf(() =>
            Reassignment.Reassign(rejected, HaikouSupervisor, TestProvince.Haikou, TestProvince.Haikou.Offices[1], null, null, null)));
    }

    [Fact]
    public void The_first_reviewer_is_not_named_for_the_final_review()
    {
        var atFinal = ClaimWorkflow.FirstReview(AtFirstReview("460100"), HaikouReviewer, ReviewDecision.Approve, null, TestProvince.Haikou,
            TestProvince.Haikou.Offices[1]).Claim;

        Assert.Equal((RefusalKind.Conflict, "first-reviewer-may-not-final-review"), RefusalOf(() =>
            Reassignment.Reassign(atFinal, HaikouSupervisor, TestProvince.Haikou, TestProvince.Haikou.Offices[0], "460100-01-r1", null, null)));
        Assert.Equal("460100-01", Reassignment.Reassign(atFinal, HaikouSupervisor, TestProvince.Haikou, TestProvince.Haikou.Offices[0],
            "460100-01-r2", null, null).Claim.AssignedOffice);
    }
}
