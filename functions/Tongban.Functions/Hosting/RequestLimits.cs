using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Tongban.Hosting;

/// <summary>
/// Limits on the request head, answered as problems. Kestrel answers its own limits (431 for headers over 32 kB or over
/// 100 of them, 414 for a request line over 8 kB) before any middleware runs, with an empty body; so its ceilings are
/// raised well above ours and ours are checked here, where the answer can be problem+json with a detail and the request
/// id. Past Kestrel's ceilings the bare answer remains: a client sending that much is not reading error bodies.
/// </summary>
public static class RequestLimits
{
    public const int MaxHeadersTotalBytes = 32 * 1024;
    public const int MaxHeaderCount = 100;
    public const int MaxRequestTargetBytes = 8 * 1024;

    /// <summary>Raises Kestrel's own ceilings above ours, so that ours answer first (<see cref="UseRequestLimits"/>).</summary>
    public static void RaiseCeilings(KestrelServerLimits kestrel)
    {
        kestrel.MaxRequestHeadersTotalSize = Math.Max(kestrel.MaxRequestHeadersTotalSize, 8 * MaxHeadersTotalBytes);
        kestrel.MaxRequestHeaderCount = Math.Max(kestrel.MaxRequestHeaderCount, 10 * MaxHeaderCount);
        kestrel.MaxRequestLineSize = Math.Max(kestrel.MaxRequestLineSize, 8 * MaxRequestTargetBytes);
    }

    /// <summary>Checks our limits first thing in the pipeline (Kestrel's ceilings raised by <see cref="RaiseCeilings"/>).</summary>
    public static IApplicationBuilder UseRequestLimits(this WebApplication app)
    {
        return app.Use(async (context, next) =>
        {
            if (Refuse(context.Request) is { } problem) await problem.ExecuteAsync(context);
            else await next();
        });
    }

    private static IResult? Refuse(HttpRequest request)
    {
        var target = request.Path.Value?.Length + request.QueryString.Value?.Length ?? 0;
        if (target > MaxRequestTargetBytes)
            return Problems.Of(414, "URI too long", $"The path and query exceed {MaxRequestTargetBytes / 1024} kB; send long input in the body.");
        if (request.Headers.Count > MaxHeaderCount)
            return Problems.Of(431, "Request header fields too large", $"The request has more than {MaxHeaderCount} header fields.");
        long total = 0;
        foreach (var (name, values) in request.Headers)
            foreach (var value in values)
                total += name.Length + (value?.Length ?? 0) + 4;
        return total > MaxHeadersTotalBytes
            ? Problems.Of(431, "Request header fields too large", $"The request's headers exceed {MaxHeadersTotalBytes / 1024} kB in all; send large values in the body.")
            : null;
    }
}
