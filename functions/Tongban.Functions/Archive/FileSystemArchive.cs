namespace Tongban.Archive;

/// <summary>
/// The default archive: a folder. Content types are not kept; a folder has no place for them. Write-once holds across
/// threads and processes sharing the folder: an object appears whole or not at all, and of writers racing to one path
/// exactly one stores and the rest get <see cref="ArchiveConflictException"/>.
/// </summary>
public sealed class FileSystemArchive : IArchive
{
    private readonly string _root;

    public FileSystemArchive(string root)
    {
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        Directory.CreateDirectory(_root);
    }

    public async Task PutAsync(string path, Stream content, string contentType, CancellationToken ct)
    {
        var target = Resolve(path);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (!await WriteOnceFile.TryCreateAsync(target, content, ct)) throw new ArchiveConflictException(path);
    }

    public Task<Stream?> OpenReadAsync(string path, CancellationToken ct)
    {
        try
        {
            Stream stream = new FileStream(Resolve(path), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
            return Task.FromResult<Stream?>(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    private string Resolve(string path)
    {
        var full = Path.GetFullPath(Path.Combine([_root, .. ArchivePath.Segments(path)]));
        // Belt and braces behind ArchivePath: whatever the platform makes of the name, it must stay under the root.
        if (!full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"'{path}' resolves outside the archive folder.", nameof(path));
        return full;
    }
}
