using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Tongban.Storage;

namespace Tongban.Hosting;

/// <summary>
/// Running under the Azure Functions host (isolated worker, ASP.NET Core integration): the host starts this
/// executable with its gRPC endpoint on the command line, triggers the <c>[Function]</c> methods and owns the Durable
/// task hub (host.json, Azure Storage provider). The app's services are the same as standalone.
/// </summary>
public static class FunctionsWorker
{
    /// <summary>Set in configuration under the host; file paths and hosted services depend on it.</summary>
    public const string HostedSetting = "Hosting:FunctionsHost";

    /// <summary>The host passes its endpoint as <c>--functions-uri</c> (older hosts: <c>--host</c> and <c>--port</c>).</summary>
    public static bool IsLaunchedByHost(string[] args) =>
        args.Any(a => a.StartsWith("--functions-uri", StringComparison.Ordinal) || a == "--host");

    public static bool IsHosted(IConfiguration configuration) => configuration.GetValue(HostedSetting, false);

    /// <summary>
    /// Where a relative file path in the settings (Sms:OutboxPath, Archive:Path) is resolved: the content root
    /// standalone; under the Functions host the machine's temp folder, as the deployed app folder is read-only there.
    /// An absolute path stays as it is.
    /// </summary>
    public static string FilePath(IConfiguration configuration, string contentRoot, string? setting, string fallback) =>
        Path.Combine(IsHosted(configuration) ? Path.GetTempPath() : contentRoot, setting is { Length: > 0 } ? setting : fallback);

    public static async Task RunAsync(string[] args)
    {
        var host = new HostBuilder()
            .ConfigureFunctionsWebApplication()
            .ConfigureAppConfiguration(config => config.AddInMemoryCollection([new(HostedSetting, "true")]))
            .ConfigureServices((context, services) => ConfigureServices(services, context.Configuration, context.HostingEnvironment))
            .Build();
        await Migrator.MigrateAsync(host.Services.GetRequiredService<Database>());
        await host.Services.GetRequiredService<Applications.RetirementRule>().ApplyPendingAsync(CancellationToken.None);
        await host.RunAsync();
    }

    /// <summary>The app's services under the host.</summary>
    public static void ConfigureServices(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        TongbanApp.AddServices(services, configuration, environment);
        // The host hands each invocation its Durable client through the [DurableClient] binding; HttpFunctions puts it
        // here so the shared handlers can take a DurableTaskClient as they do standalone.
        services.AddScoped<DurableClientScope>();
        services.AddScoped<DurableTaskClient>(sp => sp.GetRequiredService<DurableClientScope>().Client
            ?? throw new InvalidOperationException("This function has no [DurableClient] binding."));
    }
}

/// <summary>The Durable client of the current function invocation (under the Functions host).</summary>
public sealed class DurableClientScope
{
    public DurableTaskClient? Client { get; set; }
}
