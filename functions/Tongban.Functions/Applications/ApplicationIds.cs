using Microsoft.AspNetCore.Routing.Patterns;
using Tongban.Hosting;

namespace Tongban.Applications;

/// <summary>
/// Application ids in routes (<c>/applications/{id}/…</c>). An application's id is a GUID, issued and stored in lower case;
/// a route takes it in any case, normalised here once for every such endpoint before the endpoint runs, on both hosts (the
/// filter is part of the endpoint's request delegate). A route id that is no GUID names no application: 404, whose detail
/// does not repeat it — it may be anything, of any length.
/// </summary>
public static class ApplicationIds
{
    /// <summary>The route parameter that carries an application id, after the <c>applications</c> segment.</summary>
    public const string RouteParameter = "id";

    /// <summary>
    /// Normalises the application id of each endpoint under <paramref name="api"/> whose route has one; the endpoint's
    /// handler takes it as a string parameter named <see cref="RouteParameter"/>.
    /// </summary>
    public static RouteGroupBuilder NormalisingApplicationIds(this RouteGroupBuilder api)
    {
        ((IEndpointConventionBuilder)api).Add(endpoint =>
        {
            if (endpoint is RouteEndpointBuilder { RoutePattern: var route } && HasApplicationId(route))
                endpoint.FilterFactories.Add(NormaliseFilter);
        });
        return api;
    }

    /// <summary>The id as stored (a GUID, lower case, hyphenated) of <paramref name="id"/> in any case; null when it is no such GUID.</summary>
    public static string? Normalise(string? id) => Guid.TryParseExact(id, "D", out var guid) ? guid.ToString("D") : null;

    private static bool HasApplicationId(RoutePattern route) =>
        route.PathSegments.Zip(route.PathSegments.Skip(1)).Any(s =>
            s.First.Parts is [RoutePatternLiteralPart { Content: "applications" }] && s.Second.Parts is [RoutePatternParameterPart { Name: RouteParameter }]);

    private static EndpointFilterDelegate NormaliseFilter(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var index = Array.FindIndex(context.MethodInfo.GetParameters(), p => p.Name == RouteParameter && p.ParameterType == typeof(string));
        if (index < 0)
            throw new InvalidOperationException($"{context.MethodInfo.Name} serves an application route but takes no string '{RouteParameter}'.");
        return invocation =>
        {
            if (Normalise(invocation.GetArgument<string>(index)) is not { } id)
                return ValueTask.FromResult<object?>(Problems.Of(404, "Not found",
                    "No application has this id: an application id is a GUID such as 0f8fad5b-d9cb-469f-a165-70867728950e."));
            invocation.Arguments[index] = id;
            invocation.HttpContext.Request.RouteValues[RouteParameter] = id;
            return next(invocation);
        };
    }
}
