using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Tongban.Hosting;

/// <summary>
/// Reads a JSON request body so that malformed JSON and wrong types come back as a 400 that names the field the way
/// every other error does (<c>applicant.idNumber</c>, <c>$</c> for the body itself) and says what the field must be
/// in words, never in .NET type names — instead of the framework's bare 400.
/// </summary>
public static partial class JsonBody
{
    /// <summary>
    /// camelCase, names matched ignoring case; numbers only as JSON numbers (the contract's money is "yuan as JSON
    /// numbers"), where the web defaults would also read <c>"100.00"</c>.
    /// </summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { NumberHandling = JsonNumberHandling.Strict };

    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request) where T : class
    {
        if (!request.HasJsonContentType())
            return (null, Problems.Of(415, "Unsupported media type", "Send the body as application/json."));
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, Options, request.HttpContext.RequestAborted);
            return value is null ? (null, Problems.Invalid("$", "A JSON object is required.")) : (value, null);
        }
        catch (JsonException e)
        {
            return (null, Problems.Invalid(Field(e.Path), Explain(e)));
        }
    }

    /// <summary>A JSON path (<c>$.applicant.idNumber</c>, <c>$['a b']</c>) as the API's field name (<c>applicant.idNumber</c>).</summary>
    public static string Field(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "$" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    private static string Explain(JsonException e)
    {
        if (ConvertedTo().Match(e.Message) is { Success: true } match)
            return "Must be " + FieldType(match.Groups[1].Value, e.Path) switch
            {
                "System.String" => "a string.",
                "System.Boolean" => "true or false.",
                "System.Int32" or "System.Int64" or "System.Decimal" or "System.Double" => "a number.",
                "System.DateOnly" => "a date (yyyy-MM-dd).",
                "System.DateTimeOffset" or "System.DateTime" => "a date and time (ISO 8601).",
                var type when type.Contains("List`1", StringComparison.Ordinal) || type.EndsWith("[]", StringComparison.Ordinal) => "an array.",
                var type when type.StartsWith("System.Nullable`1", StringComparison.Ordinal) => "a value of the documented type, or null.",
                _ => "an object.",
            };
        return "Not valid JSON: " + e.Message.Split(" Path:")[0].Split(" LineNumber:")[0];
    }

    /// <summary>
    /// The type the failing value should have had. A record bound through its constructor (<c>record R(string? S)</c>)
    /// has the serializer name the record, not the parameter (<c>…converted to Tongban.R. Path: $.s</c>); then the
    /// parameter the path ends at gives the type.
    /// </summary>
    private static string FieldType(string named, string? path)
    {
        var member = path?.Split('.')[^1];
        var property = member is null ? null : typeof(JsonBody).Assembly.GetType(named)?.GetProperties()
            .FirstOrDefault(p => string.Equals(p.Name, member, StringComparison.OrdinalIgnoreCase));
        return property is null ? named : (Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType).FullName ?? named;
    }

    [GeneratedRegex(@"could not be converted to ([^\s]+?)\.(?:\s|$)")]
    private static partial Regex ConvertedTo();
}
