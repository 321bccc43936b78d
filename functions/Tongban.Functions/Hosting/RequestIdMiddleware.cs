using System.Text.RegularExpressions;

namespace Tongban.Hosting;

/// <summary>Every response carries X-Request-Id: the caller's own if it sent a sane one, otherwise ours.</summary>
public static partial class RequestIdMiddleware
{
    public const string Header = "X-Request-Id";

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,64}$")]
    private static partial Regex Sane();

    public static IApplicationBuilder UseRequestId(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var id = Apply(context);
        using (context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Tongban.Request")
                   .BeginScope(new Dictionary<string, object> { ["RequestId"] = id }))
        {
            await next();
        }
    });

    /// <summary>Sets the request's id and the response header; returns the id.</summary>
    public static string Apply(HttpContext context)
    {
        var incoming = context.Request.Headers[Header].ToString();
        var id = Sane().IsMatch(incoming) ? incoming : context.TraceIdentifier;
        context.TraceIdentifier = id;
        context.Response.Headers[Header] = id;
        return id;
    }
}
