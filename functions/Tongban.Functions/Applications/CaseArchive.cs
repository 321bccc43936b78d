using System.Text.Json;
using Tongban.Archive;
using Tongban.PersonalData;
using Tongban.Storage;
using Tongban.Work;

namespace Tongban.Applications;

/// <summary>
/// When a case closes (rejected, terminated, completed), its file — decision, entitlement and full history,
/// personal data masked — goes to the write-once archive (归档) as <c>cases/{caseNumber}.json</c>.
/// </summary>
public sealed class CaseArchive(Database database, PersonalDataProtector protector, IArchive archive, WorkItems items) : IWorkHandler
{
    public const string WorkKind = "archive-case";

    public string Kind => WorkKind;

    public static string ArchivePath(string caseNumber) => $"cases/{caseNumber}.json";

    public async Task HandleAsync(WorkItem item, CancellationToken ct)
    {
        await using (var connection = await database.OpenAsync(ct))
        {
            if (await ApplicationViews.LoadAsync(connection, item.Payload, protector) is { } found)
            {
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
        }
        await database.InTransactionAsync((c, t) => items.CompleteAsync(c, t, item), ct);
    }
}
