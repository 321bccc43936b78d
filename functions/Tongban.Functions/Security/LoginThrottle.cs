using System.Collections.Concurrent;

namespace Tongban.Security;

/// <summary>
/// Password guessing is limited per account, not per address: after <see cref="MaxFailures"/> wrong passwords for one
/// username within <see cref="Window"/>, that username is refused (429, <c>Retry-After</c> in seconds) until the window
/// that began with its first failure ends; a successful sign-in clears its count. Colleagues behind one office address
/// are unaffected by one another's typos. Counts are per instance (in memory): with N instances a guesser gets at most
/// N × <see cref="MaxFailures"/> tries a window.
/// </summary>
public sealed class LoginThrottle(TimeProvider clock)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    private readonly ConcurrentDictionary<string, (int Failures, DateTimeOffset Since)> _failures = new(StringComparer.Ordinal);

    /// <summary>How long <paramref name="username"/> must wait before trying again; null when it may try now.</summary>
    public TimeSpan? Wait(string username)
    {
        if (!_failures.TryGetValue(username, out var entry)) return null;
        var until = entry.Since + Window;
        var now = clock.GetUtcNow();
        if (now >= until)
        {
            _failures.TryRemove(KeyValuePair.Create(username, entry));
            return null;
        }
        return entry.Failures >= MaxFailures ? until - now : null;
    }

    /// <summary>Counts a wrong password (or an unknown username, so that known and unknown names look alike).</summary>
    public void Failed(string username)
    {
        var now = clock.GetUtcNow();
        _failures.AddOrUpdate(username, _ => (1, now),
            (_, e) => now >= e.Since + Window ? (1, now) : (e.Failures + 1, e.Since));
        // Names that are only ever guessed must not pile up: drop the windows that have ended once the map grows.
        if (_failures.Count > 10_000)
            foreach (var (name, e) in _failures)
                if (now >= e.Since + Window) _failures.TryRemove(KeyValuePair.Create(name, e));
    }

    public void Succeeded(string username) => _failures.TryRemove(username, out _);
}
