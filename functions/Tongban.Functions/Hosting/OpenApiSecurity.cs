using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Tongban.Hosting;

/// <summary>Declares how integrators authenticate: portals with X-Api-Key, staff with a bearer token.</summary>
public sealed class OpenApiSecurity : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Info.Title = "Tongban 通办 — unemployment insurance claims";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["portalKey"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = "X-Api-Key",
            Description = "Portals: the API key issued to the portal.",
        };
        document.Components.SecuritySchemes["staffToken"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http, Scheme = "bearer",
            Description = "Staff and administrators: the accessToken from POST /api/v1/auth/token.",
        };
        return Task.CompletedTask;
    }
}
