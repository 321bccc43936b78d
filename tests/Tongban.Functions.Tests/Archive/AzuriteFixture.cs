using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Tongban.Tests.Archive;

/// <summary>
/// Azurite (npm package pinned in tests/azurite) — Blob, Queue and Table, the services the archive and Durable's Azure
/// Storage provider use — started as a child process on ports the OS picks, over a temp folder, and stopped with the
/// test class. Without it the Azure tests skip locally;
/// under CI (CI=true) they fail, because there they must run.
/// </summary>
public sealed partial class AzuriteFixture : IAsyncLifetime
{
    // Azurite's well-known development account, the same for every Azurite install (not a secret).
    public const string AccountName = "devstoreaccount1";
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private Process? _azurite;
    private string? _folder;
    private string? _unavailable;

    private readonly Dictionary<string, Uri> _services = [];

    public Uri BlobServiceUri => _services["Blob"];

    /// <summary>A connection string to all three services, as the Azure SDKs and Durable's provider take it.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint={_services["Blob"]};QueueEndpoint={_services["Queue"]};TableEndpoint={_services["Table"]};";

    public async ValueTask InitializeAsync()
    {
        var main = Path.Combine(RepositoryRoot.Path, "tests", "azurite", "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(main))
        {
            _unavailable = $"Azurite is not installed: run `npm ci` in tests/azurite ({main} is missing).";
            return;
        }
        _folder = Directory.CreateTempSubdirectory("tongban-azurite-").FullName;
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     main, "--blobHost", "127.0.0.1", "--blobPort", "0", "--queueHost", "127.0.0.1", "--queuePort", "0",
                     "--tableHost", "127.0.0.1", "--tablePort", "0", "--location", _folder,
                     "--silent", "--skipApiVersionCheck", "--loose", "--disableTelemetry",
                 })
            start.ArgumentList.Add(argument);
        try
        {
            _azurite = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            _unavailable = $"Node.js is needed to run Azurite: {e.Message}";
            return;
        }

        // Port 0 lets the OS choose free ports; Azurite prints the ones it got.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var output = new List<string>();
        try
        {
            while (await _azurite.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                output.Add(line);
                if (Listening().Match(line) is { Success: true } match)
                    _services[match.Groups["service"].Value] = new Uri(match.Groups["url"].Value + "/" + AccountName);
                if (_services.Count == 3)
                {
                    // Keep draining so a full pipe never blocks Azurite.
                    _ = _azurite.StandardOutput.ReadToEndAsync();
                    _ = _azurite.StandardError.ReadToEndAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        _unavailable = "Azurite did not start: " + string.Join(" | ", output) + " " +
                       (_azurite.HasExited ? await _azurite.StandardError.ReadToEndAsync() : "(no answer in 30 s)");
    }

    /// <summary>Skips the calling test when Azurite cannot run here, or fails it under CI.</summary>
    public void Require()
    {
        if (_unavailable is null) return;
        if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail(_unavailable);
        Assert.Skip(_unavailable);
    }

    public async ValueTask DisposeAsync()
    {
        if (_azurite is { HasExited: false })
        {
            _azurite.Kill(entireProcessTree: true);
            await _azurite.WaitForExitAsync();
        }
        _azurite?.Dispose();
        if (_folder is not null) Directory.Delete(_folder, recursive: true);
    }

    [GeneratedRegex(@"Azurite (?<service>Blob|Queue|Table) service is successfully listening at (?<url>https?://[^\s/]+)")]
    private static partial Regex Listening();
}
