using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Tongban.Domain.Claims;

namespace Tongban.Hosting;

/// <summary>
/// Declares the <c>code</c> member of a refusal's problem+json in the OpenAPI document (<c>ProblemDetails</c>): a string,
/// one of <see cref="RefusalCode.All"/>, absent from errors that are not refusals. Integrators generating clients see the
/// codes they may branch on.
/// </summary>
public sealed class OpenApiProblems : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        if (context.JsonTypeInfo.Type != typeof(ProblemDetails)) return Task.CompletedTask;
        schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
        schema.Properties[Problems.CodeMember] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "Which refusal this is (stable: codes are added, never renamed or reused); absent when the error is not a refusal (bad input, 401, 404, 5xx).",
            Enum = [.. RefusalCode.All.Select(code => (JsonNode)JsonValue.Create(code))],
        };
        return Task.CompletedTask;
    }
}
