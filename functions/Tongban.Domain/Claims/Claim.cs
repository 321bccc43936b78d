using Tongban.Domain.Entitlements;

namespace Tongban.Domain.Claims;

/// <summary>The state of one application: what the state machine reads and the store persists.</summary>
public sealed record Claim(
    Guid Id,
    string CaseNumber,
    string ServiceItem,
    string Channel,
    ClaimStatus Status,
    string? AcceptingOffice,
    string? InsuringCity,
    string? AssignedOffice,
    string? FirstReviewer,
    Entitlement? Entitlement,
    DateOnly? StoppedOn,
    int Version);

/// <summary>One line of the case history: the audit trail and the case archive.</summary>
public sealed record ClaimEvent(
    string Type,
    string Actor,
    string? Office,
    string? Opinion = null,
    IReadOnlyDictionary<string, string>? Data = null)
{
    /// <summary>What staff typed, with identity and card numbers masked (<see cref="PersonalData.Mask.FreeText"/>): the
    /// history is shown to portals and archived with the case, and the person's numbers are in the encrypted columns.</summary>
    public string? Opinion { get; init; } = Opinion is null ? null : PersonalData.Mask.FreeText(Opinion);
}

/// <summary>What a command does: the new state, the history it appends, the SMS it sends.</summary>
public sealed record Transition(Claim Claim, IReadOnlyList<ClaimEvent> Events, IReadOnlyList<Notifications.SmsMessage> Sms);

public enum ReviewDecision { Approve, Reject }
