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
    /// <summary>Sends one message; throws when the gateway did not accept it. Returns the gateway's receipt for it.</summary>
    Task<SmsReceipt> SendAsync(string mobile, string body, string messageKey, DateTimeOffset queuedAt, CancellationToken ct);
}

/// <summary>
/// What a gateway says of a message it accepted: its id for the message (<paramref name="MessageId"/>, which its
/// delivery reports quote; null when it gives none) and whether it is already delivered (<paramref name="Delivered"/>:
/// the local sink, which delivers by writing the line).
/// </summary>
public sealed record SmsReceipt(string? MessageId, bool Delivered);

/// <summary>
/// The default sink: appends each message, number masked, to data/sms-outbox.jsonl for developers to read. Like a
/// gateway with repeatability (ACS), it drops a message whose key is already in the file — also one written by another
/// instance sharing the file — so a resend after a crash shows once. Each append holds the file exclusively while it
/// reads what was added since it last looked and writes its line. A message is delivered once written: its receipt says
/// so, with the message key as its id.
/// </summary>
public sealed class LocalSmsSink(string path) : ISmsGateway
{
    // Chinese as it is, not \uXXXX escapes: developers grep the file for 已受理.
    private static readonly JsonSerializerOptions Lines = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All) };
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);
    private long _read;

    public async Task<SmsReceipt> SendAsync(string mobile, string body, string messageKey, DateTimeOffset queuedAt, CancellationToken ct)
    {
        var receipt = new SmsReceipt(messageKey, Delivered: true);
        var line = JsonSerializer.Serialize(new { at = DateTimeOffset.UtcNow, to = Mask.Mobile(mobile), key = messageKey, body }, Lines);
        await _gate.WaitAsync(ct);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            await using var file = await OpenExclusiveAsync(ct);
            await ReadNewKeysAsync(file, ct);
            if (!_written.Add(messageKey)) return receipt;
            file.Seek(0, SeekOrigin.End);
            await file.WriteAsync(System.Text.Encoding.UTF8.GetBytes(line + "\n"), ct);
            _read = file.Position;
            return receipt;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Another instance appending holds the file for a moment: wait for it.</summary>
    private async Task<FileStream> OpenExclusiveAsync(CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 200)
            {
                await Task.Delay(10, ct);
            }
        }
    }

    private async Task ReadNewKeysAsync(FileStream file, CancellationToken ct)
    {
        if (file.Length <= _read) return;
        file.Seek(_read, SeekOrigin.Begin);
        using var reader = new StreamReader(file, leaveOpen: true);
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            // A line cut short by a crash mid-write is skipped: its message was not written whole.
            try
            {
                if (JsonDocument.Parse(line).RootElement.TryGetProperty("key", out var key) && key.GetString() is { } k) _written.Add(k);
            }
            catch (JsonException) { }
        }
        _read = file.Length;
    }
}
