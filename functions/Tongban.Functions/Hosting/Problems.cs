using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Tongban.Applications;
using Tongban.Domain.Claims;

namespace Tongban.Hosting;

/// <summary>Every error leaves as application/problem+json (RFC 9457); bad input is a 4xx, never a 5xx.</summary>
public static class Problems
{
    public static ProblemHttpResult Of(int status, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);

    public static ValidationProblem Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public static ValidationProblem Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, detail: "The request has invalid fields.", title: "Invalid request");

    public static ProblemHttpResult NotFound(string what) => Of(404, "Not found", $"{what} does not exist.");
}

/// <summary>Turns exceptions that escape an endpoint into problem responses with the right status.</summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException e when e.StatusCode == 413 => (413, "Request too large", "The request body exceeds the limit for this endpoint."),
            BadHttpRequestException e => (e.StatusCode, "Bad request", e.Message),
            TransitionRefused e => (e.Kind switch { RefusalKind.Invalid => 400, RefusalKind.Forbidden => 403, _ => 409 }, "Refused", e.Message),
            ConcurrentChangeException e => (409, "Concurrent change", e.Message),
            OperationCanceledException when context.RequestAborted.IsCancellationRequested => (499, "Client closed request", "The client went away."),
            // PostgreSQL has no connection slot free (max_connections): nothing was stored; the caller retries.
            Npgsql.PostgresException { SqlState: "53300" } => (503, "Busy", "The database has no free connection right now; retry shortly."),
            _ => (500, "Internal error", "An unexpected error occurred; it has been logged with the request id."),
        };
        if (status >= 500) log.LogError(exception, "Unhandled error");
        context.Response.StatusCode = status;
        if (status == 503) context.Response.Headers.RetryAfter = "1";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
