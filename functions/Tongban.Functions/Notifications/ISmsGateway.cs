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

/// <summary>The default sink: appends each message, number masked, to data/sms-outbox.jsonl for developers to read.</summary>
public sealed class LocalSmsSink(string path) : ISmsGateway
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task SendAsync(string mobile, string body, string messageKey, DateTimeOffset queuedAt, CancellationToken ct)
    {
        var line = JsonSerializer.Serialize(new { at = DateTimeOffset.UtcNow, to = Mask.Mobile(mobile), key = messageKey, body });
        await _gate.WaitAsync(ct);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            await File.AppendAllTextAsync(path, line + Environment.NewLine, ct);
        }
        finally
        {
            _gate.Release();
        }
    }
}
