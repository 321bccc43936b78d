namespace Tongban.Domain.Claims;

public enum RefusalKind { Invalid, Forbidden, Conflict }

/// <summary>
/// The state machine refuses a command: the caller sees it (400, 403, 409), never a silent no-op. <see cref="Field"/>
/// names the request field an invalid command got wrong, where there is one (the 400 names it).
/// </summary>
public sealed class TransitionRefused(RefusalKind kind, string message, string? field = null) : Exception(message)
{
    public RefusalKind Kind { get; } = kind;
    public string? Field { get; } = field;
}
