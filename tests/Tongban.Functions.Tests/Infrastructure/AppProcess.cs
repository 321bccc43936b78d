using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Tongban.Tests.Infrastructure;

/// <summary>The app as a separate OS process, so a test can kill it the way a crash would.</summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private bool _disposed;

    private AppProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <param name="settings">Further settings after the test app's own, e.g. <c>--Payouts:ChunkSize=50</c>.</param>
    public static async Task<AppProcess> StartAsync(TestStore store, int port, params string[] settings)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(AppDll());
        foreach (var setting in TestApp.Settings(store)) info.ArgumentList.Add(setting);
        info.ArgumentList.Add($"--urls=http://127.0.0.1:{port}");
        foreach (var setting in settings) info.ArgumentList.Add(setting);
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var address = new Uri($"http://127.0.0.1:{port}");
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"The app exited with {process.ExitCode} at start.");
            try
            {
                if ((await client.GetAsync("/health")).IsSuccessStatusCode) return new AppProcess(process, address);
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The app did not become healthy in 60 s.");
            await Task.Delay(100);
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>SIGKILL: no shutdown hooks, no flush — as a power cut or an OOM kill.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_process.HasExited) await KillAsync();
        _process.Dispose();
    }

    /// <summary>The function app built next to this test build (same configuration).</summary>
    public static string AppDll()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory);
        var framework = testBin.Name.Length > 0 ? testBin.Name : testBin.Parent!.Name;
        var directory = testBin;
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Tongban.sln"))) directory = directory.Parent;
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Parent!.Name;
        var dll = Path.Combine(directory!.FullName, "functions", "Tongban.Functions", "bin", configuration, framework, "Tongban.Functions.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the solution first.", dll);
    }
}
