using Microsoft.AspNetCore.Mvc;
using Tongban.Hosting;
using Tongban.Security;

namespace Tongban.Registry;

public static class RegistryEndpoints
{
    public const long MaxCsvBytes = 200L * 1024 * 1024;

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/admin/insured-persons/import", ImportAsync).RequireAuthorization(Principals.AdministratorPolicy)
            .WithMetadata(new RequestSizeLimitAttribute(MaxCsvBytes))
            .Accepts<string>("text/csv")
            .Produces<ImportResult>()
            .WithSummary("Import contribution spells from the core insurance system (CSV)");

    private static async Task<IResult> ImportAsync(HttpContext http, RegistryImport import)
    {
        if (!(http.Request.ContentType ?? "").StartsWith("text/csv", StringComparison.OrdinalIgnoreCase))
            return Problems.Of(415, "Unsupported media type", "Send the file as text/csv.");
        try
        {
            return TypedResults.Ok(await import.ImportCsvAsync(http.Request.Body, http.RequestAborted));
        }
        catch (InvalidCsvException e)
        {
            return Problems.Invalid("$", e.Message);
        }
    }
}
