namespace Tongban.Domain.Claims;

public enum RefusalKind { Invalid, Forbidden, Conflict }

/// <summary>The state machine refuses a command: the caller sees it (400, 403, 409), never a silent no-op.</summary>
public sealed class TransitionRefused(RefusalKind kind, string message) : Exception(message)
{
    public RefusalKind Kind { get; } = kind;
}
