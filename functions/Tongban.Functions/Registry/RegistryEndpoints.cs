using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using Tongban.Applications;
using Tongban.Hosting;
using Tongban.Security;

namespace Tongban.Registry;

public static class RegistryEndpoints
{
    public const long MaxCsvBytes = 200L * 1024 * 1024;

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/admin/insured-persons/import", ImportAsync).RequireAuthorization(Principals.AdministratorPolicy).WithName("ImportInsuredPersons")
            .WithMetadata(new RequestSizeLimitAttribute(MaxCsvBytes))
            .Accepts<string>("text/csv")
            .Produces<ImportResult>()
            .WithSummary("Import contribution spells from the core insurance system (CSV)");

    /// <summary>How long an import waits for rejections still being closed before it rechecks them (the reconciler does later).</summary>
    private static readonly TimeSpan RecheckPatience = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Imports the file, then gives each in-province match it stored, and each automatic rejection it asked to recheck
    /// (二次审核), an orchestration.
    /// </summary>
    private static async Task<IResult> ImportAsync(HttpContext http, RegistryImport import, WorkflowReconciler reconciler, DurableTaskClient durable,
        CrossChecks.CrossCheckReconciler matches, ILogger<RegistryImport> log)
    {
        if (CsvUploads.Unsupported(http.Request) is { } unsupported) return unsupported;
        try
        {
            var result = await import.ImportCsvAsync(http.Request.Body, http.RequestAborted);
            await CrossChecks.CrossCheckEndpoints.StartMissingAsync(matches, durable, log);
            await reconciler.StartRechecksAsync(durable, RecheckPatience, http.RequestAborted);
            return TypedResults.Ok(result);
        }
        catch (InvalidCsvException e)
        {
            return Problems.Invalid("$", e.Message);
        }
    }
}
