using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Tongban.Applications;
using Tongban.Domain.Claims;

namespace Tongban.Hosting;

/// <summary>Every error leaves as application/problem+json (RFC 9457); bad input is a 4xx, never a 5xx.</summary>
public static class Problems
{
    public static ProblemHttpResult Of(int status, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, type: TypeOf(status), extensions: extensions);

    /// <summary>
    /// A refusal the endpoint decides itself: as <see cref="Of"/>, with the <c>code</c> member saying which refusal it is
    /// (one of <see cref="RefusalCode"/>), the same member a <see cref="TransitionRefused"/> gets.
    /// </summary>
    public static ProblemHttpResult Refusal(int status, string title, string code, string detail, IDictionary<string, object?>? extensions = null) =>
        Of(status, title, detail, new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>()) { [CodeMember] = code });

    /// <summary>The problem+json extension member that carries a refusal's <see cref="RefusalCode"/>.</summary>
    public const string CodeMember = "code";

    /// <summary>
    /// The <c>type</c> of statuses the framework has no default for (it fills in those of RFC 9110's 4xx and 5xx);
    /// <c>about:blank</c>, RFC 9457's "nothing beyond the status", for a status no RFC defines.
    /// </summary>
    private static string? TypeOf(int status) => status switch
    {
        429 => "https://www.rfc-editor.org/rfc/rfc6585#section-4",
        431 => "https://www.rfc-editor.org/rfc/rfc6585#section-5",
        414 => "https://tools.ietf.org/html/rfc9110#section-15.5.15",
        499 => "about:blank",
        _ => null,
    };

    public static ValidationProblem Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>A refusal that names the field it got wrong: a validation problem that also carries the refusal's <c>code</c>.</summary>
    public static ValidationProblem Invalid(TransitionRefused refusal, string field) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [refusal.Message] },
            detail: "The request has invalid fields.", title: "Invalid request",
            extensions: new Dictionary<string, object?> { [CodeMember] = refusal.Code });

    public static ValidationProblem Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, detail: "The request has invalid fields.", title: "Invalid request");

    public static ProblemHttpResult NotFound(string what) => Of(404, "Not found", $"{what} does not exist.");

    /// <summary>
    /// The body of an error the framework answers without one (the status-code page): authentication's 401, a role
    /// check's 403, routing's 404 and 405, a body binding's 415. Each gets a <c>detail</c> saying what to do, as the
    /// contract asks of every error, and the request id (added to every problem by the problem-details service).
    /// </summary>
    public static async Task StatusCodePageAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var status = http.Response.StatusCode;
        var (title, detail) = Describe(status, http.Request);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    /// <summary>Why a request is not signed in: nothing sent, the other kind of credential for this endpoint, or one unknown or expired.</summary>
    private static string Unauthorized(HttpRequest request)
    {
        var (bearer, apiKey) = (request.Headers.Authorization.Count > 0, request.Headers.ContainsKey("X-Api-Key"));
        var policies = request.HttpContext.GetEndpoint()?.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>()
            .Select(a => a.Policy).ToHashSet() ?? [];
        if (bearer && !apiKey && policies.SetEquals([Security.Principals.PortalPolicy]))
            return "This endpoint is for portals: send the portal's X-Api-Key; a staff token is not accepted here.";
        if (apiKey && !bearer && policies.Count > 0 && !policies.Contains(Security.Principals.PortalPolicy) && !policies.Contains(Security.Principals.PortalOrStaffPolicy))
            return "This endpoint is for staff: send Authorization: Bearer <token> (from POST /api/v1/auth/token); a portal key is not accepted here.";
        return bearer || apiKey
            ? "The credentials sent are unknown or expired: staff get a new token from POST /api/v1/auth/token; portals check their X-Api-Key."
            : "Sign in first: staff send Authorization: Bearer <token> (from POST /api/v1/auth/token), portals send X-Api-Key.";
    }

    private static (string Title, string Detail) Describe(int status, HttpRequest request) => status switch
    {
        401 => ("Unauthorized", Unauthorized(request)),
        403 => ("Forbidden", "Your account's role may not use this endpoint (administrator endpoints are for administrators only)."),
        404 => ("Not found", $"There is no endpoint at {request.Path}."),
        405 => ("Method not allowed", $"{request.Method} is not allowed on {request.Path}; the Allow header lists the methods that are."),
        415 => ("Unsupported media type", "Send the body with the endpoint's Content-Type: application/json, or text/csv for file imports."),
        _ => (ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } reason ? reason : "Error",
            $"The request failed with status {status}."),
    };
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
        var code = exception switch
        {
            TransitionRefused e => e.Code,
            ConcurrentChangeException => RefusalCode.ConcurrentChange,
            _ => null,
        };
        if (status >= 500) log.LogError(exception, "Unhandled error");
        context.Response.StatusCode = status;
        if (status == 503) context.Response.Headers.RetryAfter = "1";
        var problem = new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        };
        if (code is not null) problem.ProblemDetails.Extensions[Problems.CodeMember] = code;
        return await problems.TryWriteAsync(problem);
    }
}
