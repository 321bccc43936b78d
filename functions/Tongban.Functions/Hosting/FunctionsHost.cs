using System.Text.Json;
using Tongban.Scheduling;
using Tongban.Work;

namespace Tongban.Hosting;

/// <summary>
/// Running under the Azure Functions host as a custom handler: the host sets FUNCTIONS_CUSTOMHANDLER_PORT,
/// forwards HTTP requests as they are, and POSTs each timer invocation to <c>/{FunctionName}</c> with
/// <c>{"Data":{…},"Metadata":{…}}</c>, expecting <c>{"Outputs":{},"Logs":[…],"ReturnValue":null}</c>;
/// a non-2xx status tells the host the invocation failed.
/// </summary>
public static class FunctionsHost
{
    public const string PortSetting = "FUNCTIONS_CUSTOMHANDLER_PORT";
    public const string WorkPumpFunction = "WorkPump";

    public static bool IsHosted(IConfiguration configuration) => !string.IsNullOrEmpty(configuration[PortSetting]);

    /// <summary>
    /// Where a relative file path in the settings (Sms:OutboxPath, Archive:Path) is resolved: the content root
    /// standalone; under the Functions host the machine's temp folder, as the deployed app folder is read-only there.
    /// An absolute path stays as it is.
    /// </summary>
    public static string FilePath(IConfiguration configuration, string contentRoot, string? setting, string fallback) =>
        Path.Combine(IsHosted(configuration) ? Path.GetTempPath() : contentRoot, setting is { Length: > 0 } ? setting : fallback);

    public sealed record InvocationResult(Dictionary<string, object> Outputs, IReadOnlyList<string> Logs, object? ReturnValue);

    public static void MapTimers(IEndpointRouteBuilder app, IEnumerable<Schedule> schedules)
    {
        foreach (var schedule in schedules)
            app.MapPost("/" + schedule.Name, (HttpContext http, Scheduler scheduler, WorkPump pump) => RunScheduleAsync(http, schedule, scheduler, pump))
                .ExcludeFromDescription();
        app.MapPost("/" + WorkPumpFunction, async (HttpContext http, WorkPump pump) =>
        {
            if (await ReadInvocationAsync(http) is { } bad) return bad;
            var ran = await pump.DrainAsync(http.RequestAborted);
            return Result(200, [$"WorkPump: {ran} work item(s) run"]);
        }).ExcludeFromDescription();
    }

    private static async Task<IResult> RunScheduleAsync(HttpContext http, Schedule schedule, Scheduler scheduler, WorkPump pump)
    {
        if (await ReadInvocationAsync(http) is { } bad) return bad;
        var keys = await scheduler.EnqueueDueAsync(schedule, http.RequestAborted);
        await pump.DrainAsync(http.RequestAborted);
        var unfinished = await scheduler.UnfinishedAsync(keys, http.RequestAborted);
        var logs = keys.Except(unfinished.Select(u => u.Key)).Select(k => $"{k}: done")
            .Concat(unfinished.Select(u => $"{u.Key}: {u.Status}{(u.Error is null ? "" : " — " + u.Error)}")).ToList();
        return Result(unfinished.Count == 0 ? 200 : 500, logs);
    }

    /// <summary>The body must be the host's invocation JSON; anything else is a 400, not a run.</summary>
    private static async Task<IResult?> ReadInvocationAsync(HttpContext http)
    {
        try
        {
            using var body = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
            return body.RootElement.ValueKind == JsonValueKind.Object ? null : Result(400, ["The invocation body must be a JSON object."]);
        }
        catch (JsonException e)
        {
            return Result(400, [$"The invocation body is not JSON: {e.Message}"]);
        }
    }

    private static IResult Result(int status, IReadOnlyList<string> logs) =>
        TypedResults.Json(new InvocationResult([], logs, null), new JsonSerializerOptions(), statusCode: status);
}
