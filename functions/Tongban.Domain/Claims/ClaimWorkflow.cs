using Tongban.Domain.CrossChecks;
using Tongban.Domain.Entitlements;
using Tongban.Domain.Notifications;
using Tongban.Domain.Province;
using Tongban.Domain.Verification;

namespace Tongban.Domain.Claims;

/// <summary>
/// The claim state machine (全省通办): intake → automatic verification → first review (初审) at the
/// accepting office → routing to the insuring city (参保地) → final review (复核) there → entitlement.
/// Pure: given a state, a command and its facts, it returns the transition or refuses.
/// </summary>
public static class ClaimWorkflow
{
    public const string SystemActor = "system";

    public static Transition Submit(Guid id, string caseNumber, string serviceItem, string channel,
        string? acceptingOffice, string portal)
    {
        var claim = new Claim(id, caseNumber, serviceItem, channel, ClaimStatus.Verifying, acceptingOffice,
            null, acceptingOffice, null, null, null, 1);
        return new Transition(claim,
        [
            new ClaimEvent("submitted", portal, acceptingOffice, null,
                new Dictionary<string, string> { ["channel"] = channel }),
            // 一件事: filing the claim is also the unemployment registration.
            new ClaimEvent("registered-unemployed", SystemActor, acceptingOffice),
        ],
        [SmsMessage.Received(caseNumber)]);
    }

    /// <summary>
    /// Verification decides from data alone: ruled out → rejected with the reasons; otherwise to
    /// first review at <paramref name="firstReviewOffice"/> (the accepting office, or for an online
    /// claim an office of the insuring city).
    /// </summary>
    public static Transition CompleteVerification(Claim claim, VerificationResult result, string? firstReviewOffice)
    {
        Require(claim, ClaimStatus.Verifying);
        var data = new Dictionary<string, string>
        {
            ["contributionMonths"] = result.ContributionMonths.ToString(),
            ["findings"] = string.Join(",", result.Findings.Select(f => f.Code)),
        };
        if (!result.Passed)
        {
            return new Transition(
                Next(claim) with { Status = ClaimStatus.Rejected, InsuringCity = result.InsuringCity },
                [new ClaimEvent("verification-failed", SystemActor, null, null, data)],
                [SmsMessage.VerificationFailed(claim.CaseNumber, result.Findings.Select(f => f.Message))]);
        }
        if (firstReviewOffice is null) throw new ArgumentNullException(nameof(firstReviewOffice));
        return new Transition(
            Next(claim) with { Status = ClaimStatus.FirstReview, InsuringCity = result.InsuringCity, AssignedOffice = firstReviewOffice },
            [
                new ClaimEvent("verified", SystemActor, null, null, data),
                new ClaimEvent("assigned", SystemActor, firstReviewOffice),
            ],
            []);
    }

    /// <summary>
    /// 二次审核 (Gaoming, seed 000): an application the data ruled out is verified again when the person's
    /// data change. Passing now sends it to first review; null when the data still rule it out.
    /// Only automatic rejections are re-opened — a reviewer's decision stands.
    /// </summary>
    public static Transition? Recheck(Claim claim, VerificationResult result, string? firstReviewOffice)
    {
        if (claim.Status != ClaimStatus.Rejected || claim.FirstReviewer is not null)
            throw new TransitionRefused(RefusalKind.Conflict, RefusalCode.NotRejectedByVerification, "Only an application rejected by automatic verification is checked again.");
        if (!result.Passed) return null;
        if (firstReviewOffice is null) throw new ArgumentNullException(nameof(firstReviewOffice));
        return new Transition(
            Next(claim) with { Status = ClaimStatus.FirstReview, InsuringCity = result.InsuringCity, AssignedOffice = firstReviewOffice },
            [
                new ClaimEvent("rechecked", SystemActor, null, null,
                    new Dictionary<string, string> { ["contributionMonths"] = result.ContributionMonths.ToString() }),
                new ClaimEvent("assigned", SystemActor, firstReviewOffice),
            ],
            [SmsMessage.RecheckPassed(claim.CaseNumber)]);
    }

    /// <summary>
    /// Why <paramref name="reviewer"/> may not decide <paramref name="claim"/> at the review stage it is at, or null when
    /// they may: only reviewers and supervisors decide (<c>not-a-reviewer</c>); first review (初审) belongs to the assigned
    /// office (<c>not-assigned-office</c>); final review (复核) to the insuring city (<c>not-insuring-city</c>), and not to
    /// whoever did the first review (<c>first-reviewer-may-not-final-review</c>, 初审复核分离). All are 403
    /// (<see cref="RefusalKind.Forbidden"/>). <see cref="FirstReview"/> and <see cref="FinalReview"/> refuse with exactly
    /// this, and staff reading the case are shown it (<c>review</c> in GET /applications/{id}), so the console offers the
    /// decision only to those who may take it. Null for a claim at no review stage: there is nothing to decide.
    /// </summary>
    public static TransitionRefused? DecisionRefusal(Claim claim, StaffMember reviewer)
    {
        if (claim.Status is not (ClaimStatus.FirstReview or ClaimStatus.FinalReview)) return null;
        if (reviewer.Role is not (StaffRole.Reviewer or StaffRole.Supervisor))
            return new TransitionRefused(RefusalKind.Forbidden, RefusalCode.NotAReviewer, "Only reviewers and supervisors review applications.");
        if (claim.Status == ClaimStatus.FirstReview)
            return reviewer.OfficeCode == claim.AssignedOffice ? null
                : new TransitionRefused(RefusalKind.Forbidden, RefusalCode.NotAssignedOffice, $"First review of this application belongs to office {claim.AssignedOffice}.");
        if (reviewer.CityCode != claim.InsuringCity)
            return new TransitionRefused(RefusalKind.Forbidden, RefusalCode.NotInsuringCity, $"Final review of this application belongs to city {claim.InsuringCity}.");
        return reviewer.Username == claim.FirstReviewer
            ? new TransitionRefused(RefusalKind.Forbidden, RefusalCode.FirstReviewerMayNotFinalReview, "The first reviewer may not also do the final review.")
            : null;
    }

    /// <summary>
    /// Why <paramref name="reviewer"/> may not decide <paramref name="claim"/> at <paramref name="stage"/> (first or final
    /// review), or null when they may: <c>not-at-stage</c> (409, <see cref="RefusalKind.Conflict"/>) when the claim is not
    /// at that stage, else <see cref="DecisionRefusal(Claim, StaffMember)"/>. It reads nothing of the decision itself, so
    /// a decision is answered with it before its body is read: whoever is shown a refusal gets that refusal, whatever
    /// they send. <see cref="FirstReview"/> and <see cref="FinalReview"/> refuse with exactly this.
    /// </summary>
    public static TransitionRefused? DecisionRefusal(Claim claim, StaffMember reviewer, ClaimStatus stage) =>
        claim.Status != stage ? NotAtStage(claim, stage) : DecisionRefusal(claim, reviewer);

    /// <summary>
    /// First review (初审) at the assigned office; approval routes the case to <paramref name="finalReviewOffice"/> in the
    /// insuring city (history <c>routed</c>). The applicant is told it went to the insuring city only when that is another
    /// city than the reviewer's: an online claim is first reviewed in the insuring city, as is a counter claim accepted there.
    /// </summary>
    public static Transition FirstReview(Claim claim, StaffMember reviewer, ReviewDecision decision, string? opinion,
        City insuringCity, Office finalReviewOffice)
    {
        if (DecisionRefusal(claim, reviewer, ClaimStatus.FirstReview) is { } refused) throw refused;
        var opinionText = RequireOpinionToReject(decision, opinion);
        var reviewed = Next(claim) with { FirstReviewer = reviewer.Username };

        if (decision == ReviewDecision.Reject)
        {
            return new Transition(reviewed with { Status = ClaimStatus.Rejected },
                [new ClaimEvent("first-review-rejected", reviewer.Username, reviewer.OfficeCode, opinionText)],
                [SmsMessage.FirstReviewRejected(claim.CaseNumber, opinionText!)]);
        }
        return new Transition(
            reviewed with { Status = ClaimStatus.FinalReview, AssignedOffice = finalReviewOffice.Code },
            [
                new ClaimEvent("first-review-approved", reviewer.Username, reviewer.OfficeCode, opinionText),
                new ClaimEvent("routed", SystemActor, finalReviewOffice.Code, null,
                    new Dictionary<string, string> { ["insuringCity"] = insuringCity.Code }),
            ],
            reviewer.CityCode == insuringCity.Code
                ? [SmsMessage.FirstReviewPassed(claim.CaseNumber)]
                : [SmsMessage.FirstReviewPassed(claim.CaseNumber), SmsMessage.Routed(claim.CaseNumber, insuringCity.Name)]);
    }

    /// <summary>
    /// Final review (复核) in the insuring city, by someone other than the first reviewer; approval fixes
    /// the entitlement (<paramref name="fixEntitlement"/> runs only then, after every check has passed).
    /// </summary>
    public static Transition FinalReview(Claim claim, StaffMember reviewer, ReviewDecision decision, string? opinion,
        Func<Entitlement> fixEntitlement)
    {
        if (DecisionRefusal(claim, reviewer, ClaimStatus.FinalReview) is { } refused) throw refused;
        var opinionText = RequireOpinionToReject(decision, opinion);

        if (decision == ReviewDecision.Reject)
        {
            return new Transition(Next(claim) with { Status = ClaimStatus.Rejected },
                [new ClaimEvent("final-review-rejected", reviewer.Username, reviewer.OfficeCode, opinionText)],
                [SmsMessage.FinalReviewRejected(claim.CaseNumber, opinionText!)]);
        }
        var entitlement = fixEntitlement();
        return new Transition(Next(claim) with { Status = ClaimStatus.Approved, Entitlement = entitlement },
            [
                new ClaimEvent("final-review-approved", reviewer.Username, reviewer.OfficeCode, opinionText,
                    new Dictionary<string, string>
                    {
                        ["months"] = entitlement.Months.ToString(),
                        ["monthlyFen"] = entitlement.MonthlyFen.ToString(),
                        ["startMonth"] = entitlement.StartMonth.ToString(),
                        ["endMonth"] = entitlement.EndMonth.ToString(),
                        ["continuedMonths"] = entitlement.ContinuedMonths.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    }),
            ],
            [SmsMessage.Approved(claim.CaseNumber, entitlement)]);
    }

    /// <summary>
    /// A stop event reported at any office (就近报告) ends an active entitlement from its date, which lies between the
    /// first day of the entitlement and today (refused as invalid naming <c>date</c> otherwise, <c>type</c> for an unknown
    /// event); the applicant is told by SMS. A death is reported by a relative
    /// (<paramref name="relative"/>, required: refused as invalid naming <c>reporter</c> without one) and opens the family's funeral grant and
    /// survivors' pension (<paramref name="deathBenefits"/>, fixed by the caller from the province's rules once the event is
    /// accepted), recorded on the event with the relationship (never the relative's name or mobile: the history is not
    /// encrypted). Nothing is sent to the deceased: the family's one message is composed with the settlement of the
    /// payments (<see cref="SmsMessage.DeathBenefits"/>).
    /// </summary>
    public static Transition ReportStop(Claim claim, StaffMember reporter, string eventType, DateOnly date, DateOnly today,
        Func<Payouts.DeathBenefits>? deathBenefits = null, Relative? relative = null)
    {
        if (StopEvents.TypeError(eventType) is { } typeError) throw new TransitionRefused(RefusalKind.Invalid, RefusalCode.UnknownEventType, typeError, "type");
        if (StopEvents.DateError(date, today) is { } dateError) throw new TransitionRefused(RefusalKind.Invalid, RefusalCode.DateInFuture, dateError, "date");
        if (claim.Status is not (ClaimStatus.Approved or ClaimStatus.Suspended))
            throw new TransitionRefused(RefusalKind.Conflict, RefusalCode.NotBeingPaid,
                $"Only an approved or suspended application can be stopped; this one is {claim.Status.Code()}.");
        if (deathBenefits is not null && eventType != StopEvents.Died)
            throw new ArgumentException("Death benefits go with a death only.", nameof(deathBenefits));
        if (relative is not null && eventType != StopEvents.Died)
            throw new ArgumentException("A reporting relative goes with a death only.", nameof(relative));
        if (relative is null && eventType == StopEvents.Died)
            throw new TransitionRefused(RefusalKind.Invalid, RefusalCode.ReporterRequired, "A death is reported by a relative: their name, relationship and mobile are required.",
                "reporter");
        var start = (claim.Entitlement ?? throw new InvalidOperationException("An approved claim has an entitlement.")).StartMonth.FirstDay;
        if (date < start)
            throw new TransitionRefused(RefusalKind.Invalid, RefusalCode.EventBeforeBenefit,
                $"The event date is before the benefit began ({start:yyyy-MM-dd}); a claim that should not have been approved is revoked, not stopped.",
                "date");
        var death = deathBenefits?.Invoke();
        var data = new Dictionary<string, string>
        {
            ["event"] = eventType,
            ["date"] = date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        };
        List<SmsMessage> sms = relative is null ? [SmsMessage.Stopped(claim.CaseNumber, StopEvents.Descriptions[eventType], date)] : [];
        if (relative is not null) data["reporterRelationship"] = relative.Relationship;
        if (death is not null)
        {
            data["funeralGrantFen"] = death.FuneralGrantFen.ToString(System.Globalization.CultureInfo.InvariantCulture);
            data["survivorsPensionMonths"] = death.PensionMonths.ToString(System.Globalization.CultureInfo.InvariantCulture);
            data["survivorsPensionFen"] = death.SurvivorsPensionFen.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return new Transition(Next(claim) with { Status = ClaimStatus.Terminated, StoppedOn = date },
            [new ClaimEvent("stopped", reporter.Username, reporter.OfficeCode, null, data)],
            sms);
    }

    /// <summary>
    /// An active entitlement fixed before the statutory retirement age was applied, brought under it
    /// (<see cref="Entitlement.UnderRetirementRule"/>) while the age is still ahead: it now ends at the month the age is
    /// reached, cut or continued (续发). The applicant is told until when. Once the age has been reached, the caller stops
    /// the claim instead (a pension stop event, dated the day the age was reached).
    /// </summary>
    public static Transition AdjustToRetirement(Claim claim, Entitlement adjusted)
    {
        if (claim.Status is not (ClaimStatus.Approved or ClaimStatus.Suspended))
            throw new TransitionRefused(RefusalKind.Conflict, RefusalCode.NotBeingPaid,
                $"Only an approved or suspended application's entitlement is adjusted; this one is {claim.Status.Code()}.");
        return new Transition(Next(claim) with { Entitlement = adjusted },
            [
                new ClaimEvent("entitlement-adjusted", SystemActor, null, null, new Dictionary<string, string>
                {
                    ["rule"] = "statutory-retirement-age",
                    ["months"] = adjusted.Months.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["endMonth"] = adjusted.EndMonth.ToString(),
                    ["continuedMonths"] = adjusted.ContinuedMonths.ToString(System.Globalization.CultureInfo.InvariantCulture),
                }),
            ],
            [SmsMessage.RetirementAdjusted(claim.CaseNumber, adjusted)]);
    }

    /// <summary>
    /// A cross-province or in-province match (issue 12) holds an approved or suspended claim's payments from the first
    /// month both cover (<see cref="CrossCheckMatch.Overlap"/>): the claim is suspended, nothing is stopped or recovered
    /// until a person decides. The recipient is told by SMS that payment is held, from the first month not already paid or
    /// at the bank (<see cref="CrossCheckRules.FirstHeld"/> over <paramref name="taken"/>, the months a payout run has
    /// taken), why, and until when (<paramref name="contestUntil"/>) they may contest it at any office. Refused (409) for a
    /// claim not being paid.
    /// </summary>
    public static Transition Suspend(Claim claim, CrossCheckMatch match, IReadOnlySet<YearMonth> taken, DateOnly contestUntil)
    {
        if (claim.Status is not (ClaimStatus.Approved or ClaimStatus.Suspended))
            throw new TransitionRefused(RefusalKind.Conflict, RefusalCode.NotBeingPaid,
                $"Only an approved or suspended application is suspended by a match; this one is {claim.Status.Code()}.");
        return new Transition(Next(claim) with { Status = ClaimStatus.Suspended },
            [new ClaimEvent("cross-check-suspended", SystemActor, null, null, match.Evidence())],
            [SmsMessage.CrossCheckHeld(claim.CaseNumber, match.Kind, CrossCheckRules.FirstHeld(match.Overlap, taken), contestUntil)]);
    }

    /// <summary>
    /// A reviewer or supervisor of the insuring city dismisses a match, with an opinion (required: 400 naming
    /// <c>opinion</c>). The suspension lifts — the claim is approved again and told so — unless another match of it is
    /// still open (<paramref name="othersOpen"/>), when it stays suspended. Refused (403) outside the insuring city, (409)
    /// for a claim neither suspended nor stopped (a stopped claim only records the dismissal).
    /// </summary>
    public static Transition DismissMatch(Claim claim, StaffMember staff, CrossCheckMatch match, string? opinion, bool othersOpen)
    {
        RequireMatchDecider(claim, staff);
        var text = RequireOpinion(opinion);
        var dismissed = new ClaimEvent("cross-check-dismissed", staff.Username, staff.OfficeCode, text, match.Evidence());
        // Stopped meanwhile (another match confirmed, a death reported): the dismissal is recorded and changes nothing else.
        if (claim.Status is ClaimStatus.Terminated or ClaimStatus.Completed) return new Transition(Next(claim), [dismissed], []);
        if (claim.Status != ClaimStatus.Suspended)
            throw new TransitionRefused(RefusalKind.Conflict, RefusalCode.NotSuspended, $"The application is {claim.Status.Code()}, not suspended.");
        var resumed = !othersOpen;
        return new Transition(Next(claim) with { Status = resumed ? ClaimStatus.Approved : ClaimStatus.Suspended },
            [dismissed],
            resumed ? [SmsMessage.CrossCheckResumed(claim.CaseNumber)] : []);
    }

    /// <summary>
    /// A reviewer or supervisor of the insuring city confirms a match, with an opinion and the date payment stops
    /// (<paramref name="stopDate"/>, from the evidence): the stop event the match's kind is
    /// (<see cref="CrossCheckKinds.StopEvent"/>), dated then, through <see cref="ReportStop"/> — so the months it excludes
    /// are settled as for any stop (overpaid months become recovery cases). A claim another decision or report already
    /// stopped only records the confirmation (<c>StopEvent</c> null). A death is reported by the family first (400 naming
    /// <c>decision</c>). Refused (403) outside the insuring city; (400 naming <c>stopDate</c>) for a date outside the
    /// entitlement or in the future.
    /// </summary>
    public static (Transition Transition, string? StopEvent) ConfirmMatch(Claim claim, StaffMember staff, CrossCheckMatch match,
        string? opinion, DateOnly stopDate, DateOnly today)
    {
        RequireMatchDecider(claim, staff);
        var text = RequireOpinion(opinion);
        var confirmed = new ClaimEvent("cross-check-confirmed", staff.Username, staff.OfficeCode, text,
            new Dictionary<string, string>(match.Evidence()) { ["stopDate"] = stopDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) });
        if (claim.Status is ClaimStatus.Terminated or ClaimStatus.Completed)
            return (new Transition(Next(claim), [confirmed], []), null);
        var entitlement = claim.Entitlement ?? throw new InvalidOperationException("A suspended claim has an entitlement.");
        if (stopDate < entitlement.StartMonth.FirstDay || stopDate > entitlement.EndMonth.LastDay)
            throw new TransitionRefused(RefusalKind.Invalid, RefusalCode.StopDateOutsideEntitlement,
                $"The stop date must lie within the entitlement ({entitlement.StartMonth.FirstDay:yyyy-MM-dd} to {entitlement.EndMonth.LastDay:yyyy-MM-dd}).", "stopDate");
        if (stopDate > today) throw new TransitionRefused(RefusalKind.Invalid, RefusalCode.DateInFuture, "The stop date is in the future.", "stopDate");
        if (CrossCheckKinds.StopEvent(match.Kind) is not { } eventType)
            throw new TransitionRefused(RefusalKind.Invalid, RefusalCode.DeathReportedByFamily,
                "A death is reported by the family (stop event 'died' with the reporting relative); confirm the match after that.", "decision");
        var stop = ReportStop(claim, staff, eventType, stopDate, today);
        return (stop with { Events = [confirmed, .. stop.Events] }, eventType);
    }

    /// <summary>An undecided match past its deadline: the insuring city's supervisor sees it (a history line only).</summary>
    public static ClaimEvent MatchEscalated(CrossCheckMatch match) =>
        new("cross-check-escalated", SystemActor, null, null, match.Evidence());

    /// <summary>The recipient's statement contesting a match, taken down by staff of any office (就近): a history line.</summary>
    public static ClaimEvent MatchContested(StaffMember staff, CrossCheckMatch match, string statement) =>
        new("cross-check-contested", staff.Username, staff.OfficeCode, statement, new Dictionary<string, string> { ["matchId"] = match.Id });

    private static void RequireMatchDecider(Claim claim, StaffMember staff)
    {
        if (staff.Role is not (StaffRole.Reviewer or StaffRole.Supervisor) || staff.CityCode != claim.InsuringCity)
            throw new TransitionRefused(RefusalKind.Forbidden, RefusalCode.NotInsuringCity, $"Matches of this application are decided by reviewers of city {claim.InsuringCity}.");
    }

    private static string RequireOpinion(string? opinion) =>
        string.IsNullOrWhiteSpace(opinion)
            ? throw new TransitionRefused(RefusalKind.Invalid, RefusalCode.OpinionRequired, "An opinion is required.", "opinion")
            : opinion.Trim();

    /// <summary>The bank has paid the last month of the entitlement: the claim is complete (办结), every month paid counted.</summary>
    public static Transition Complete(Claim claim)
    {
        Require(claim, ClaimStatus.Approved);
        var months = claim.Entitlement?.PaidMonths
                     ?? throw new InvalidOperationException("An approved claim has an entitlement.");
        return new Transition(Next(claim) with { Status = ClaimStatus.Completed },
            [
                new ClaimEvent("completed", SystemActor, null, null,
                    new Dictionary<string, string> { ["months"] = months.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
            ],
            [SmsMessage.Completed(claim.CaseNumber, months)]);
    }

    private static Claim Next(Claim claim) => claim with { Version = claim.Version + 1 };

    private static void Require(Claim claim, ClaimStatus expected)
    {
        if (claim.Status != expected) throw NotAtStage(claim, expected);
    }

    private static TransitionRefused NotAtStage(Claim claim, ClaimStatus expected) =>
        new(RefusalKind.Conflict, RefusalCode.NotAtStage, $"The application is {claim.Status.Code()}, not {expected.Code()}.");

    private static string? RequireOpinionToReject(ReviewDecision decision, string? opinion)
    {
        var text = string.IsNullOrWhiteSpace(opinion) ? null : opinion.Trim();
        if (decision == ReviewDecision.Reject && text is null)
            throw new TransitionRefused(RefusalKind.Invalid, RefusalCode.OpinionRequired, "An opinion is required to reject.");
        return text;
    }
}
