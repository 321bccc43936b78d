using System.Text.Json;
using Tongban.Domain.PersonalData;

namespace Tongban.Notifications;

/// <summary>
/// The SMS port. Delivery is at-least-once; <c>messageKey</c> and <c>queuedAt</c> (when the message was
/// committed to the outbox) are the same on every attempt, so a gateway that supports it can drop repeats.
/// A mainland deployment plugs a domestic SMS gateway in here.
/// </summary>
public interface ISmsGateway
{
    Task SendAsync(string mobile, string body, string messageKey, DateTimeOffset queuedAt, CancellationToken ct);
}

/// <summary>
/// The default sink: appends each message, number masked, to data/sms-outbox.jsonl for developers to read. Like a
/// gateway with repeatability, it drops a message whose key it has already written, so a resend after a crash
/// shows once.
/// </summary>
public sealed class LocalSmsSink(string path) : ISmsGateway
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private HashSet<string>? _written;

    public async Task SendAsync(string mobile, string body, string messageKey, DateTimeOffset queuedAt, CancellationToken ct)
    {
        var line = JsonSerializer.Serialize(new { at = DateTimeOffset.UtcNow, to = Mask.Mobile(mobile), key = messageKey, body });
        await _gate.WaitAsync(ct);
        try
        {
            _written ??= await WrittenKeysAsync(ct);
            if (!_written.Add(messageKey)) return;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            // One write per line, appended: lines from several instances sharing the file do not interleave.
            await using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            await file.WriteAsync(System.Text.Encoding.UTF8.GetBytes(line + "\n"), ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<HashSet<string>> WrittenKeysAsync(CancellationToken ct)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        if (!File.Exists(path)) return keys;
        foreach (var line in await File.ReadAllLinesAsync(path, ct))
        {
            // A line cut short by a crash mid-write is skipped: its message was not written whole.
            try
            {
                if (JsonDocument.Parse(line).RootElement.TryGetProperty("key", out var key) && key.GetString() is { } k) keys.Add(k);
            }
            catch (JsonException) { }
        }
        return keys;
    }
}
