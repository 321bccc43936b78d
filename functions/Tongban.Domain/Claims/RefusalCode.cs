namespace Tongban.Domain.Claims;

/// <summary>
/// The stable, machine-readable <c>code</c> of every refusal (the problem+json extension member beside <c>title</c> and
/// <c>detail</c>): portals and the staff console tell refusals apart by it, never by the English prose, which may change.
/// One code per meaning; two places that refuse for the same reason share it, whatever status each answers with. A code,
/// once published, is never renamed or reused for another meaning (the contract: add, never rename or drop).
/// </summary>
public static class RefusalCode
{
    /// <summary>Every code below, in the order declared: what the OpenAPI document lists and the console must translate.</summary>
    public static IReadOnlyList<string> All { get; } = typeof(RefusalCode)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToList();

    /// <summary>409: the application is not at the stage the command acts on (e.g. first review of a case already at final review: someone else decided it meanwhile).</summary>
    public const string NotAtStage = "not-at-stage";

    /// <summary>409: only an approved or suspended application (one being paid) can be stopped, adjusted to the retirement age or suspended by a match.</summary>
    public const string NotBeingPaid = "not-being-paid";

    /// <summary>409: a match is dismissed on a claim that is neither suspended nor stopped.</summary>
    public const string NotSuspended = "not-suspended";

    /// <summary>409: only a case waiting for first or final review is reassigned, or has its entitlement previewed.</summary>
    public const string NotWaitingForReview = "not-waiting-for-review";

    /// <summary>409: only an application rejected by automatic verification (not by a reviewer) is verified again (二次审核).</summary>
    public const string NotRejectedByVerification = "not-rejected-by-verification";

    /// <summary>409: the application's insuring city (参保地) is not a city of this province, so it cannot be routed to final review.</summary>
    public const string InsuringCityOutsideProvince = "insuring-city-outside-province";

    /// <summary>409: the insuring city has no unemployment benefit standard in force today, so no entitlement can be fixed.</summary>
    public const string NoBenefitStandard = "no-benefit-standard";

    /// <summary>403: first review (初审) belongs to the office the case is assigned to, and the caller is not of it.</summary>
    public const string NotAssignedOffice = "not-assigned-office";

    /// <summary>403: final review (复核), and deciding a cross-check match, belong to reviewers and supervisors of the insuring city.</summary>
    public const string NotInsuringCity = "not-insuring-city";

    /// <summary>403: the caller has no part in this claim (not of its accepting or assigned office, nor of its insuring city), so may not see its entitlement or full personal data.</summary>
    public const string OutsideCaseScope = "outside-case-scope";

    /// <summary>403 at final review, 409 when reassigning to that person: whoever did the first review may not also do the final review of the same case.</summary>
    public const string FirstReviewerMayNotFinalReview = "first-reviewer-may-not-final-review";

    /// <summary>403: only reviewers and supervisors review applications.</summary>
    public const string NotAReviewer = "not-a-reviewer";

    /// <summary>400: an opinion is required (to reject an application, to decide a match).</summary>
    public const string OpinionRequired = "opinion-required";

    /// <summary>400 naming <c>type</c>: the stop event's type is not one the province knows.</summary>
    public const string UnknownEventType = "unknown-event-type";

    /// <summary>400 naming <c>date</c> or <c>stopDate</c>: the date of a stop event, or the stop date of a confirmed match, is after today.</summary>
    public const string DateInFuture = "date-in-future";

    /// <summary>400 naming <c>date</c>: the stop event is dated before the benefit began (such a claim is revoked, not stopped).</summary>
    public const string EventBeforeBenefit = "event-before-benefit";

    /// <summary>400 naming <c>reporter</c>: a death is reported by a relative, whose name, relationship and mobile are required.</summary>
    public const string ReporterRequired = "reporter-required";

    /// <summary>400 naming <c>stopDate</c>: confirming a match needs the date payment stops.</summary>
    public const string StopDateRequired = "stop-date-required";

    /// <summary>400 naming <c>stopDate</c>: the stop date of a confirmed match lies outside the entitlement.</summary>
    public const string StopDateOutsideEntitlement = "stop-date-outside-entitlement";

    /// <summary>400 naming <c>decision</c>: a death match is not confirmed until the family has reported the death.</summary>
    public const string DeathReportedByFamily = "death-reported-by-family";

    /// <summary>409: the cross-check match has been decided already (confirmed or dismissed); it is neither decided nor contested again.</summary>
    public const string AlreadyDecided = "already-decided";

    /// <summary>409: the time for the recipient to contest the match has ended.</summary>
    public const string ContestPeriodEnded = "contest-period-ended";

    /// <summary>403: only the supervisor of the city may do this (reassign its cases, staff its offices, see its overview).</summary>
    public const string NotCitySupervisor = "not-city-supervisor";

    /// <summary>403: the case is held by an office outside the supervisor's city.</summary>
    public const string CaseOutsideCity = "case-outside-city";

    /// <summary>403: the office named is not an office of the supervisor's city.</summary>
    public const string OfficeOutsideCity = "office-outside-city";

    /// <summary>409: the case is already assigned to that office (and reviewer).</summary>
    public const string AlreadyAssigned = "already-assigned";

    /// <summary>409: someone else changed the application between reading and writing it; reload and try again.</summary>
    public const string ConcurrentChange = "concurrent-change";

    /// <summary>409: the person already has an open application for this service item (the problem carries <c>existingApplicationId</c>).</summary>
    public const string OpenApplicationExists = "open-application-exists";

    /// <summary>409: the payment is not a flagged returned payment waiting for staff (already reissued, or never returned twice).</summary>
    public const string PaymentNotFlagged = "payment-not-flagged";

    /// <summary>409: a repayment with that receipt reference is already recorded for the recovery case.</summary>
    public const string RepaymentAlreadyRecorded = "repayment-already-recorded";

    /// <summary>409: the recovery case is settled (no instalments can be agreed on it).</summary>
    public const string RecoveryCaseNotOpen = "recovery-case-not-open";

    /// <summary>403: cross-check matches are seen by reviewers and supervisors of the insuring city, not by this role.</summary>
    public const string MatchesForReviewers = "matches-for-reviewers";

    /// <summary>403: a recipient's statement is taken down by staff of an office, not by an administrator.</summary>
    public const string NotOfficeStaff = "not-office-staff";

    /// <summary>403: the dashboard is for supervisors (of their own city) and administrators.</summary>
    public const string DashboardNotAllowed = "dashboard-not-allowed";
}
