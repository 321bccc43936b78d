namespace Tongban.Archive;

/// <summary>
/// Write-once storage for payment files, comparison exports and case archives (归档). An archived
/// object is evidence: once written it is never replaced, so a second write to the same path is refused.
/// </summary>
public interface IArchive
{
    /// <summary>
    /// Stores <paramref name="content"/> at <paramref name="path"/>; throws <see cref="ArchiveConflictException"/>
    /// if something is already there. That includes this very write when a retry follows an attempt whose
    /// answer was lost, so at-least-once work that archives the same content again may treat a conflict as done.
    /// </summary>
    Task PutAsync(string path, Stream content, string contentType, CancellationToken ct);

    /// <summary>The stored content, or null when nothing is stored at <paramref name="path"/>. The caller disposes the stream.</summary>
    Task<Stream?> OpenReadAsync(string path, CancellationToken ct);
}

public sealed class ArchiveConflictException(string path)
    : InvalidOperationException($"The archive already holds '{path}'; archived objects are never overwritten.")
{
    public string Path { get; } = path;
}

/// <summary>
/// Archive paths are relative, '/'-separated names such as <c>payouts/2026-11/460200.csv</c>. Both
/// adapters check them the same way, so a path that works on disk also works in Blob storage.
/// </summary>
public static class ArchivePath
{
    public static string[] Segments(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var segments = path.Split('/');
        // Rejecting '.', '..', empty segments and backslashes here keeps a path from climbing out of the
        // archive root on disk, and from meaning something different in a blob name than on disk.
        if (path.Contains('\\') || segments.Any(s => s.Length == 0 || s == "." || s == ".." || s.Any(char.IsControl)))
            throw new ArgumentException($"'{path}' is not a relative archive path of '/'-separated names.", nameof(path));
        return segments;
    }
}
