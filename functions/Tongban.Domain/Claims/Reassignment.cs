using Tongban.Domain.Province;

namespace Tongban.Domain.Claims;

/// <summary>
/// A city supervisor moves a case waiting for review to another office of the city, or to a named reviewer of one
/// (balancing work across offices, 按人员配置调配). Pure: refuses what the supervisor may not do, otherwise returns the
/// transition, whose history line (<c>reassigned</c>) is the audit trail: who, when, from where to where, and why.
/// </summary>
public static class Reassignment
{
    /// <summary>The history line's type: actor the supervisor, office the new one, opinion the reason, data from/to/stage/reviewer.</summary>
    public const string EventType = "reassigned";

    /// <summary>
    /// Reassigns <paramref name="claim"/> (at first or final review) to <paramref name="office"/>, and to
    /// <paramref name="reviewer"/> there when named (a reviewer of that office; the caller checks the account). Refused:
    /// 403 when the caller is not the supervisor of <paramref name="city"/>, the case is not held by an office of it or
    /// <paramref name="office"/> is not one of its offices; 409 when the case is not at review, is already where it would
    /// go (<paramref name="currentReviewer"/> is whom it is assigned to now, if anyone), or the named reviewer did its first
    /// review and so may not do its final review.
    /// </summary>
    public static Transition Reassign(Claim claim, StaffMember supervisor, City city, Office office, string? reviewer,
        string? currentReviewer, string? reason)
    {
        if (supervisor.Role != StaffRole.Supervisor || supervisor.CityCode != city.Code)
            throw new TransitionRefused(RefusalKind.Forbidden, RefusalCode.NotCitySupervisor, $"Only the supervisor of city {city.Code} reassigns its cases.");
        if (claim.Status is not (ClaimStatus.FirstReview or ClaimStatus.FinalReview))
            throw new TransitionRefused(RefusalKind.Conflict, RefusalCode.NotWaitingForReview, $"Only a case waiting for review is reassigned; this one is {claim.Status.Code()}.");
        if (!city.Offices.Any(o => o.Code == claim.AssignedOffice))
            throw new TransitionRefused(RefusalKind.Forbidden, RefusalCode.CaseOutsideCity, $"The case is held by office {claim.AssignedOffice}, outside city {city.Code}.");
        if (!city.Offices.Contains(office))
            throw new TransitionRefused(RefusalKind.Forbidden, RefusalCode.OfficeOutsideCity, $"Office {office.Code} is not an office of city {city.Code}.");
        if (office.Code == claim.AssignedOffice && reviewer == currentReviewer)
            throw new TransitionRefused(RefusalKind.Conflict, RefusalCode.AlreadyAssigned, "The case is already assigned there.");
        if (reviewer is not null && claim.Status == ClaimStatus.FinalReview && reviewer == claim.FirstReviewer)
            throw new TransitionRefused(RefusalKind.Conflict, RefusalCode.FirstReviewerMayNotFinalReview, "The first reviewer may not also do the final review.");

        var data = new Dictionary<string, string> { ["from"] = claim.AssignedOffice!, ["to"] = office.Code, ["stage"] = claim.Status.Code() };
        if (reviewer is not null) data["reviewer"] = reviewer;
        var opinion = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        return new Transition(claim with { AssignedOffice = office.Code, Version = claim.Version + 1 },
            [new ClaimEvent(EventType, supervisor.Username, office.Code, opinion, data)],
            []);
    }
}
