using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Moq;
using Tongban.Applications;
using Tongban.Hosting;
using Tongban.Intake;
using Tongban.Review;
using Tongban.Tests.Archive;
using Tongban.Tests.Infrastructure;

namespace Tongban.Tests.Hosting;

/// <summary>
/// One codebase, two hosts: the worker SDK's functions.metadata (what the Functions host runs) lists exactly the routes
/// the standalone app serves, the timers it runs and the orchestrators and activities its Durable worker knows; and an
/// HTTP function, called as the host calls it, answers as the standalone endpoint does.
/// </summary>
public sealed class FunctionsSpec : IAsyncLifetime
{
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync(Store.Sqlite);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static JsonArray Metadata() => JsonNode.Parse(File.ReadAllText(
        Path.Combine(Path.GetDirectoryName(AppProcess.AppDll())!, "functions.metadata")))!.AsArray();

    private static string Trigger(JsonNode function) =>
        function["bindings"]!.AsArray().Single(b => b!["type"]!.GetValue<string>().EndsWith("Trigger", StringComparison.Ordinal))!["type"]!.GetValue<string>();

    [Fact]
    public void Every_route_served_standalone_is_an_http_function_with_the_same_route_and_method_and_no_other()
    {
        var standalone = _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Route: e.RoutePattern.RawText!.TrimStart('/'), Method: e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Single().ToLowerInvariant()))
            .OrderBy(r => r).ToList();
        var functions = Metadata().Where(f => Trigger(f!) == "httpTrigger").Select(f =>
        {
            var trigger = f!["bindings"]!.AsArray().Single(b => b!["type"]!.GetValue<string>() == "httpTrigger")!;
            return (Route: trigger["route"]!.GetValue<string>(), Method: trigger["methods"]!.AsArray().Single()!.GetValue<string>());
        }).OrderBy(r => r).ToList();

        Assert.Equal(standalone, functions);
        Assert.Contains(("api/v1/applications/{id}/first-review", "post"), functions);
    }

    [Fact]
    public void Each_http_function_runs_the_standalone_endpoint_of_its_name()
    {
        var endpoints = _app.Services.GetRequiredService<HttpFunctions>().Endpoints;
        foreach (var function in Metadata().Where(f => Trigger(f!) == "httpTrigger"))
        {
            var name = function!["name"]!.GetValue<string>();
            Assert.True(endpoints.ContainsKey(name), $"No standalone endpoint is named {name}.");
            var route = function["bindings"]!.AsArray().Single(b => b!["type"]!.GetValue<string>() == "httpTrigger")!["route"]!.GetValue<string>();
            Assert.Equal(route, endpoints[name].RoutePattern.RawText!.TrimStart('/'));
        }
    }

    [Fact]
    public void The_host_runs_the_orchestrators_activities_and_timers_the_standalone_worker_runs()
    {
        var metadata = Metadata().Select(f => (Name: f!["name"]!.GetValue<string>(), Trigger: Trigger(f))).ToList();
        string[] durable = ["orchestrationTrigger", "activityTrigger", "timerTrigger"];
        var standalone = FunctionCatalog.With<OrchestrationTriggerAttribute>().Select(f => (f.Name, "orchestrationTrigger"))
            .Concat(FunctionCatalog.With<ActivityTriggerAttribute>().Select(f => (f.Name, "activityTrigger")))
            .Concat(FunctionCatalog.With<TimerTriggerAttribute>().Select(f => (f.Name, "timerTrigger")))
            .OrderBy(f => f).ToList();

        Assert.Equal(standalone, metadata.Where(f => durable.Contains(f.Trigger)).OrderBy(f => f).ToList());
        Assert.Contains((ClaimOrchestrator.Name, "orchestrationTrigger"), standalone);
        Assert.Contains(("ReconcileWorkflows", "timerTrigger"), standalone);
    }

    [Fact]
    public void Host_json_configures_the_task_hub_and_no_custom_handler()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(Path.GetDirectoryName(AppProcess.AppDll())!, "host.json")))!;

        Assert.Null(host["customHandler"]);
        Assert.Equal("%TaskHubName%", host["extensions"]!["durableTask"]!["hubName"]!.GetValue<string>());
        Assert.Equal("", host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
        Assert.False(Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "functions"), "function.json", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public async Task An_http_function_called_as_the_host_calls_it_submits_and_starts_the_claims_orchestration()
    {
        await _app.ImportAsync(People.Csv(People.EligibleInSanya(41)));
        using var host = FunctionsHostServices();
        var durable = new Mock<DurableTaskClient>("test");
        string? started = null;
        durable.Setup(d => d.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(),
                It.IsAny<CancellationToken>()))
            .Callback<TaskName, object?, StartOrchestrationOptions?, CancellationToken>((name, input, options, _) =>
            {
                Assert.Equal(ClaimOrchestrator.Name, name.Name);
                Assert.Equal(options!.InstanceId, ((ClaimInput)input!).ApplicationId);
                Assert.Contains("Running", options.DedupeStatuses!);
                started = options.InstanceId;
            })
            .ReturnsAsync((TaskName _, object? _, StartOrchestrationOptions? o, CancellationToken _) => o!.InstanceId!);
        var functions = ActivatorUtilities.CreateInstance<IntakeFunctions>(host.Services);

        var http = Request(host.Services, "POST", "/api/v1/applications",
            JsonSerializer.Serialize(People.Application(People.IdNumber(41))), ("X-Api-Key", TestApp.PortalKey), ("Idempotency-Key", "fn-1"));
        await functions.SubmitApplication(http.Request, durable.Object);

        Assert.Equal(StatusCodes.Status202Accepted, http.Response.StatusCode);
        var body = await ResponseJsonAsync(http);
        Assert.Equal(body.GetProperty("applicationId").GetString(), started);
        Assert.Equal($"/api/v1/applications/{started}", http.Response.Headers.Location.ToString());
        Assert.False(string.IsNullOrEmpty(http.Response.Headers["X-Request-Id"]));
    }

    [Fact]
    public async Task An_http_function_refuses_as_the_endpoint_does_401_without_a_key_and_problem_json_naming_the_field()
    {
        using var host = FunctionsHostServices();
        var durable = new Mock<DurableTaskClient>("test");
        var intake = ActivatorUtilities.CreateInstance<IntakeFunctions>(host.Services);

        var anonymous = Request(host.Services, "POST", "/api/v1/applications", "{}");
        await intake.SubmitApplication(anonymous.Request, durable.Object);
        var invalid = Request(host.Services, "POST", "/api/v1/applications", "{\"serviceItem\":\"unemployment-benefit\"}",
            ("X-Api-Key", TestApp.PortalKey));
        await intake.SubmitApplication(invalid.Request, durable.Object);
        var review = ActivatorUtilities.CreateInstance<ReviewFunctions>(host.Services);
        var noToken = Request(host.Services, "POST", $"/api/v1/applications/{Guid.NewGuid()}/first-review", "{\"decision\":\"approve\"}");
        await review.FirstReview(noToken.Request, durable.Object);

        Assert.Equal(StatusCodes.Status401Unauthorized, anonymous.Response.StatusCode);
        Assert.Equal(StatusCodes.Status400BadRequest, invalid.Response.StatusCode);
        Assert.StartsWith("application/problem+json", invalid.Response.ContentType);
        Assert.True((await ResponseJsonAsync(invalid)).GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
        Assert.Equal(StatusCodes.Status401Unauthorized, noToken.Response.StatusCode);
        durable.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task An_http_function_takes_an_application_id_in_any_case_and_does_not_repeat_one_that_is_no_GUID()
    {
        var submitted = await _app.Portal.SubmitAsync(People.Application(People.IdNumber(42)));
        var id = (await submitted.JsonAsync()).GetProperty("applicationId").GetString()!;
        using var host = FunctionsHostServices();
        var durable = new Mock<DurableTaskClient>("test");
        var functions = ActivatorUtilities.CreateInstance<ApplicationFunctions>(host.Services);
        var malformedId = id + new string('0', 3000);

        var upper = Request(host.Services, "GET", $"/api/v1/applications/{id.ToUpperInvariant()}", "", ("X-Api-Key", TestApp.PortalKey));
        await functions.GetApplication(upper.Request, durable.Object);
        var malformed = Request(host.Services, "GET", $"/api/v1/applications/{malformedId}", "", ("X-Api-Key", TestApp.PortalKey));
        await functions.GetApplication(malformed.Request, durable.Object);

        Assert.Equal(id, (await ResponseJsonAsync(upper)).GetProperty("applicationId").GetString());
        Assert.Equal(StatusCodes.Status404NotFound, malformed.Response.StatusCode);
        Assert.DoesNotContain(malformedId, (await ResponseJsonAsync(malformed)).GetRawText());
    }

    /// <summary>The app's services as the Functions host composes them (FunctionsWorker), on the test app's database.</summary>
    private IHost FunctionsHostServices()
    {
        var settings = TestApp.Settings(_app.Store).Select(s => s.TrimStart('-').Split('=', 2))
            .ToDictionary(p => p[0], p => (string?)p[1]);
        settings[FunctionsWorker.HostedSetting] = "true";
        return new HostBuilder()
            .ConfigureAppConfiguration(c => c.AddInMemoryCollection(settings))
            .ConfigureServices((context, services) => FunctionsWorker.ConfigureServices(services, context.Configuration, context.HostingEnvironment))
            .Build();
    }

    private static DefaultHttpContext Request(IServiceProvider services, string method, string path, string body, params (string, string)[] headers)
    {
        var http = new DefaultHttpContext { RequestServices = services.CreateScope().ServiceProvider };
        http.Request.Method = method;
        http.Request.Path = path;
        http.Request.ContentType = "application/json";
        http.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        foreach (var (name, value) in headers) http.Request.Headers[name] = value;
        http.Response.Body = new MemoryStream();
        return http;
    }

    private static async Task<JsonElement> ResponseJsonAsync(HttpContext http)
    {
        http.Response.Body.Position = 0;
        return await JsonSerializer.DeserializeAsync<JsonElement>(http.Response.Body);
    }
}
