using Azure.Identity;
using Tongban.Hosting;

namespace Tongban.Archive;

public static class ArchiveRegistration
{
    /// <summary>
    /// Archive:Provider picks the adapter: <c>filesystem</c> (default; Archive:Path, else
    /// data/archive; see <see cref="FunctionsWorker.FilePath"/>) or <c>azure-blob</c> (Archive:BlobServiceUri, Archive:Container,
    /// and Archive:AccountName + Archive:AccountKey for Azurite; without a key, Entra ID).
    /// </summary>
    public static IServiceCollection AddArchive(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        // Settings are read when the archive is first needed, so configuration a test or host adds after
        // this call still counts.
        services.AddSingleton<IArchive>(_ => Create(configuration, contentRoot));
        return services;
    }

    public static IArchive Create(IConfiguration configuration, string contentRoot)
    {
        var provider = (configuration["Archive:Provider"] ?? "filesystem").ToLowerInvariant();
        switch (provider)
        {
            case "filesystem":
                return new FileSystemArchive(FunctionsWorker.FilePath(configuration, contentRoot, configuration["Archive:Path"], "data/archive"));
            case "azure-blob":
                var serviceUri = configuration["Archive:BlobServiceUri"] is { Length: > 0 } uri
                    ? new Uri(uri)
                    : throw new InvalidOperationException("Archive:Provider is azure-blob but Archive:BlobServiceUri is not set.");
                var container = configuration["Archive:Container"] is { Length: > 0 } name ? name : "tongban";
                var accountName = configuration["Archive:AccountName"];
                var accountKey = configuration["Archive:AccountKey"];
                return !string.IsNullOrEmpty(accountName) && !string.IsNullOrEmpty(accountKey)
                    ? AzureBlobArchive.WithSharedKey(serviceUri, container, accountName, accountKey)
                    : AzureBlobArchive.WithTokenCredential(serviceUri, container, new DefaultAzureCredential());
            default:
                throw new InvalidOperationException($"Archive:Provider '{provider}' is not filesystem or azure-blob.");
        }
    }
}
