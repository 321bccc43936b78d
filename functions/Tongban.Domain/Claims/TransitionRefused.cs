namespace Tongban.Domain.Claims;

public enum RefusalKind { Invalid, Forbidden, Conflict }

/// <summary>
/// The state machine refuses a command: the caller sees it (400, 403, 409), never a silent no-op. <see cref="Code"/> says
/// which refusal it is, for machines (one of <see cref="RefusalCode"/>); the message says it for people. <see cref="Field"/>
/// names the request field an invalid command got wrong, where there is one (the 400 names it).
/// </summary>
public sealed class TransitionRefused(RefusalKind kind, string code, string message, string? field = null) : Exception(message)
{
    public RefusalKind Kind { get; } = kind;
    public string Code { get; } = code;
    public string? Field { get; } = field;
}
