using System.Runtime.InteropServices;

namespace Tongban.Archive;

/// <summary>
/// Files that are written once and never replaced, shared by threads and processes using one folder: the archive's
/// objects and the development keys. Content is written to a temp file first, so the name shows whole content or none.
/// </summary>
public static class WriteOnceFile
{
    /// <summary>
    /// Creates <paramref name="target"/> holding <paramref name="content"/> unless it exists: false when it does (and the
    /// file is left as it is). Of callers racing on one name exactly one gets true. The content is written beside the
    /// target first: a crash mid-write leaves a stray <c>.partial</c> file, never a truncated target blocking every retry.
    /// </summary>
    public static async Task<bool> TryCreateAsync(string target, Stream content, CancellationToken ct)
    {
        var temp = target + "." + Guid.NewGuid().ToString("N") + ".partial";
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await content.CopyToAsync(file, ct);
                file.Flush(flushToDisk: true);
            }
            return TryPublish(temp, target);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>
    /// Gives <paramref name="temp"/> the name <paramref name="target"/> in one step that fails when the name is taken:
    /// false when it is. On Unix that is link(2) (the temp file is deleted after), because File.Move without overwrite
    /// checks and then renames, and two writers can both pass the check; on Windows File.Move is MoveFileEx without
    /// replace, which is one step.
    /// </summary>
    private static bool TryPublish(string temp, string target)
    {
        if (OperatingSystem.IsWindows())
        {
            try
            {
                File.Move(temp, target, overwrite: false);
                return true;
            }
            catch (IOException) when (File.Exists(target))
            {
                return false;
            }
        }
        if (Link(temp, target) == 0) return true;
        var errno = Marshal.GetLastPInvokeError();
        if (errno == EEXIST) return false;
        throw new IOException($"Could not create '{target}': {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
    }

    /// <summary>errno "file exists" (17 on Linux and macOS).</summary>
    private const int EEXIST = 17;

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link([MarshalAs(UnmanagedType.LPUTF8Str)] string existing, [MarshalAs(UnmanagedType.LPUTF8Str)] string created);
}
