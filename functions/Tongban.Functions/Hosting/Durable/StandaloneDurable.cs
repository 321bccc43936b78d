using System.Net.Sockets;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Grpc;
using Microsoft.DurableTask.Worker.Grpc.Internal;

namespace Tongban.Hosting.Durable;

/// <summary>
/// Durable Task without the Functions host: the app's orchestrators and activities (the same <c>[Function]</c> methods
/// the host runs, <see cref="FunctionCatalog"/>) run on an in-process <c>DurableTaskWorker</c>, talking gRPC over a Unix
/// socket to an in-process task hub sidecar (<c>TaskHubGrpcServer</c>) on the backend <c>Durable:Backend</c> names:
/// <list type="bullet">
/// <item><c>InMemory</c> (default): nothing external; the task hub dies with the process, and the reconciler rebuilds
/// every open claim's orchestration from the database at the next start;</item>
/// <item><c>AzureStorage</c>: the provider Durable Functions uses in Azure (queues, tables, blobs), on
/// <c>Durable:StorageConnection</c> (Azurite: <c>UseDevelopmentStorage=true</c>), task hub <c>Durable:TaskHub</c>.</item>
/// </list>
/// </summary>
public static class StandaloneDurable
{
    public const string InMemory = "InMemory";
    public const string AzureStorage = "AzureStorage";

    public static IServiceCollection AddStandaloneDurable(this IServiceCollection services, IConfiguration configuration)
    {
        var backend = configuration["Durable:Backend"] is { Length: > 0 } b ? b : InMemory;
        if (!backend.Equals(InMemory, StringComparison.OrdinalIgnoreCase) && !backend.Equals(AzureStorage, StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"Durable:Backend '{backend}' is not {InMemory} or {AzureStorage}.");
        var concurrency = configuration.GetValue("Durable:MaxConcurrentWorkItems", 256);
        // Activities do the database work. Verification gathers the VerifyClaim activities running at one moment into one
        // batch (VerificationBatches), so enough of them run at once for batches to form: 64 measured best on 2 cores
        // (8: 555 claims/s on SQLite and 398/s on PostgreSQL; 64: 660/s and 516/s).
        var activities = configuration.GetValue("Durable:MaxConcurrentActivities", 64);
        var socket = Path.Combine(Path.GetTempPath(), $"{DurableSidecar.SocketPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}.sock");

        services.AddSingleton<IOrchestrationService>(sp => backend.Equals(InMemory, StringComparison.OrdinalIgnoreCase)
            ? new UnthrottledOrchestrationService(new InMemoryOrchestrationService(sp.GetService<ILoggerFactory>()), concurrency)
            : AzureStorageBackend(configuration, concurrency, sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp => new DurableSidecar(socket, sp.GetRequiredService<IOrchestrationService>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddHostedService(sp => sp.GetRequiredService<DurableSidecar>());

        var channel = UnixSocketChannel(socket);
        services.AddDurableTaskWorker(worker =>
        {
            worker.AddTasks(registry => FunctionCatalog.RegisterDurableTasks(registry));
            worker.UseGrpc(o =>
            {
                o.Channel = channel;
                // The sidecar is in this process and sends no health pings: an idle stream is not a lost one (else the
                // worker warns and reconnects every two minutes of quiet).
                o.SetSilentDisconnectTimeout(TimeSpan.Zero);
            });
            worker.Configure(o =>
            {
                o.Concurrency.MaximumConcurrentActivityWorkItems = activities;
                o.Concurrency.MaximumConcurrentOrchestrationWorkItems = concurrency;
            });
        });
        services.AddDurableTaskClient(client =>
        {
            client.UseGrpc(channel);
            client.RegisterDirectly();
        });
        return services;
    }

    private static AzureStorageOrchestrationService AzureStorageBackend(IConfiguration configuration, int concurrency, ILoggerFactory logs)
    {
        var connection = configuration["Durable:StorageConnection"] is { Length: > 0 } c
            ? c
            : throw new InvalidOperationException("Durable:Backend is AzureStorage but Durable:StorageConnection is not set (Azurite: UseDevelopmentStorage=true).");
        var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = configuration["Durable:TaskHub"] is { Length: > 0 } hub ? hub : "TongbanHub",
            StorageAccountClientProvider = new DurableTask.AzureStorage.StorageAccountClientProvider(connection),
            MaxConcurrentTaskOrchestrationWorkItems = concurrency,
            MaxConcurrentTaskActivityWorkItems = concurrency,
            // Idle queues back off to 30 s by default: a review decision would wait that long to move the claim on.
            MaxQueuePollingInterval = TimeSpan.FromSeconds(configuration.GetValue("Durable:MaxQueuePollingSeconds", 1.0)),
            // A message a killed instance had dequeued reappears after this long; the provider renews it while an
            // orchestration or activity is still working on it, so it only bounds recovery after a crash.
            ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(configuration.GetValue("Durable:VisibilityTimeoutSeconds", 300)),
            WorkItemQueueVisibilityTimeout = TimeSpan.FromSeconds(configuration.GetValue("Durable:VisibilityTimeoutSeconds", 300)),
            LoggerFactory = logs,
        });
        service.CreateIfNotExistsAsync().GetAwaiter().GetResult();
        return service;
    }

    /// <summary>A gRPC channel to the sidecar's socket: no TCP port to collide with other instances or tests.</summary>
    private static GrpcChannel UnixSocketChannel(string socket) =>
        GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                ConnectCallback = async (_, ct) =>
                {
                    var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    try
                    {
                        await s.ConnectAsync(new UnixDomainSocketEndPoint(socket), ct);
                        return new NetworkStream(s, ownsSocket: true);
                    }
                    catch
                    {
                        s.Dispose();
                        throw;
                    }
                },
            },
        });
}

/// <summary>The task hub's gRPC sidecar, in its own small host inside the process, listening on a Unix socket.</summary>
public sealed class DurableSidecar(string socket, IOrchestrationService service, ILoggerFactory logs) : IHostedService, IAsyncDisposable
{
    public const string SocketPrefix = "tongban-durable-";
    private IHost? _host;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        RemoveSocketsOfDeadProcesses();
        // A bare host: no configuration files (the default builder would watch the working directory for changes).
        _host = new HostBuilder()
            .ConfigureLogging(logging =>
            {
                logging.ClearProviders();
                logging.Services.AddSingleton(logs);
            })
            .ConfigureWebHost(web =>
            {
                web.UseKestrel(k => k.ListenUnixSocket(socket, listen => listen.Protocols = HttpProtocols.Http2));
                web.ConfigureServices(s =>
                {
                    s.AddGrpc();
                    s.AddSingleton(service);
                    s.AddSingleton((IOrchestrationServiceClient)service);
                    s.AddSingleton<TaskHubGrpcServer>();
                });
                web.Configure(app => app.UseRouting().UseEndpoints(e => e.MapGrpcService<TaskHubGrpcServer>()));
            })
            .Build();
        await _host.StartAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_host is not null) await _host.StopAsync(cancellationToken);
    }

    /// <summary>A killed instance leaves its socket file behind; the next start on the machine removes it.</summary>
    private static void RemoveSocketsOfDeadProcesses()
    {
        foreach (var file in Directory.EnumerateFiles(Path.GetTempPath(), SocketPrefix + "*.sock"))
        {
            var pid = Path.GetFileName(file)[SocketPrefix.Length..].Split('-')[0];
            if (int.TryParse(pid, out var id) && !Directory.Exists($"/proc/{id}") && OperatingSystem.IsLinux())
                File.Delete(file);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is null) return;
        _host.Dispose();
        _host = null;
        if (File.Exists(socket)) File.Delete(socket);
        await ValueTask.CompletedTask;
    }
}
