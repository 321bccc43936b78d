using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.DurableTask.Client;

namespace Tongban.Hosting;

/// <summary>
/// Under the Functions host, each HTTP function runs the endpoint the standalone app maps for the same route
/// (<see cref="TongbanApp.MapApi"/>, found by the endpoint's name, which is the function's name): the same request
/// delegate with its parameter binding, after the same authentication and authorization, with the same request id and
/// problem+json errors. So a function class is one line per route, and the two hosts cannot drift apart.
/// Rate limits are API Management's job in Azure.
/// </summary>
public sealed class HttpFunctions
{
    private readonly Dictionary<string, (RouteEndpoint Endpoint, TemplateMatcher Matcher)> _endpoints;

    public HttpFunctions(IServiceProvider services)
    {
        var routes = new EndpointCollector(services);
        TongbanApp.MapApi(routes);
        _endpoints = routes.DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IEndpointNameMetadata>() is not null)
            .ToDictionary(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName,
                e => (e, new TemplateMatcher(TemplateParser.Parse(e.RoutePattern.RawText!.TrimStart('/')), new RouteValueDictionary())));
    }

    /// <summary>The standalone endpoints by name: route, methods and authorization, for the hosts to be compared.</summary>
    public IReadOnlyDictionary<string, RouteEndpoint> Endpoints => _endpoints.ToDictionary(e => e.Key, e => e.Value.Endpoint);

    /// <summary>Runs the endpoint named <paramref name="function"/> on the request; the response is written when this returns.</summary>
    public async Task<IResult> InvokeAsync(HttpRequest request, DurableTaskClient durable, [CallerMemberName] string function = "")
    {
        var http = request.HttpContext;
        var (endpoint, matcher) = _endpoints[function];
        http.RequestServices.GetRequiredService<DurableClientScope>().Client = durable;
        RequestIdMiddleware.Apply(http);
        var values = new RouteValueDictionary();
        matcher.TryMatch(http.Request.Path, values);
        foreach (var (key, value) in values) http.Request.RouteValues[key] = value;
        http.SetEndpoint(endpoint);
        if (endpoint.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is { MaxRequestBodySize: var limit }
            && http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = limit;
        try
        {
            if (await AuthorizeAsync(http, endpoint)) await endpoint.RequestDelegate!(http);
        }
        catch (Exception e) when (!http.Response.HasStarted)
        {
            await http.RequestServices.GetRequiredService<IExceptionHandler>().TryHandleAsync(http, e, http.RequestAborted);
        }
        return Results.Empty;
    }

    /// <summary>What UseAuthentication and UseAuthorization do standalone: false when the caller was challenged or forbidden.</summary>
    private static async Task<bool> AuthorizeAsync(HttpContext http, Endpoint endpoint)
    {
        if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null) return true;
        var services = http.RequestServices;
        var policy = await AuthorizationPolicy.CombineAsync(services.GetRequiredService<IAuthorizationPolicyProvider>(),
            endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>(), endpoint.Metadata.GetOrderedMetadata<AuthorizationPolicy>());
        if (policy is null) return true;
        var evaluator = services.GetRequiredService<IPolicyEvaluator>();
        var authentication = await evaluator.AuthenticateAsync(policy, http);
        var result = await evaluator.AuthorizeAsync(policy, authentication, http, http);
        if (result.Succeeded) return true;
        var handler = services.GetRequiredService<IAuthorizationMiddlewareResultHandler>();
        await handler.HandleAsync(_ => Task.CompletedTask, http, policy, result);
        return false;
    }

    /// <summary>Collects the endpoints the API maps, without a web application to serve them.</summary>
    private sealed class EndpointCollector(IServiceProvider services) : IEndpointRouteBuilder
    {
        public IServiceProvider ServiceProvider => services;
        public ICollection<EndpointDataSource> DataSources { get; } = [];
        public IApplicationBuilder CreateApplicationBuilder() => new ApplicationBuilder(services);
    }
}
