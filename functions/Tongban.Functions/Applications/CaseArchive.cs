using System.Text.Json;
using Dapper;
using Tongban.Archive;
using Tongban.PersonalData;
using Tongban.Storage;

namespace Tongban.Applications;

/// <summary>
/// When a case closes (rejected, terminated, completed), its file — decision, entitlement and full history,
/// personal data masked — goes to the write-once archive (归档) as <c>cases/{caseNumber}.json</c>, and the
/// application is marked archived so the reconciler stops looking for it.
/// </summary>
public sealed class CaseArchive(Database database, PersonalDataProtector protector, IArchive archive, TimeProvider clock)
{
    public static string ArchivePath(string caseNumber) => $"cases/{caseNumber}.json";

    /// <summary>Archives a closed case once; false when the application is open or unknown (nothing to archive yet).</summary>
    public async Task<bool> ArchiveAsync(string applicationId, CancellationToken ct)
    {
        await using (var connection = await database.OpenAsync(ct))
        {
            if (await ApplicationViews.LoadAsync(connection, applicationId, protector) is not { } found) return false;
            if (await connection.ExecuteScalarAsync<long>("SELECT is_open FROM applications WHERE id = @applicationId", new { applicationId }) == 1)
                return false;
            var json = JsonSerializer.SerializeToUtf8Bytes(found.View, new JsonSerializerOptions(Hosting.JsonBody.Options) { WriteIndented = true });
            try
            {
                await archive.PutAsync(ArchivePath(found.View.CaseNumber), new MemoryStream(json), "application/json", ct);
            }
            catch (ArchiveConflictException)
            {
                // Archived by an earlier attempt whose answer was lost: the file is there, which is the point.
            }
        }
        await database.InTransactionAsync((c, t) => c.ExecuteAsync(
            "UPDATE applications SET archived_at = @now WHERE id = @applicationId AND archived_at IS NULL",
            new { applicationId, now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, t), ct);
        return true;
    }
}
