using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace Tongban.Hosting;

/// <summary>
/// Reads a JSON request body so that malformed JSON and wrong types come back as a 400 that names the field the way
/// every other error does (<c>applicant.idNumber</c>, <c>$</c> for the body itself) and says what the field must be
/// in words, never in .NET type names — instead of the framework's bare 400. Every field of the wrong type is named,
/// not only the first the serializer meets.
/// </summary>
public static partial class JsonBody
{
    /// <summary>
    /// camelCase, names matched ignoring case; numbers only as JSON numbers (the contract's money is "yuan as JSON
    /// numbers"), where the web defaults would also read <c>"100.00"</c>.
    /// </summary>
    /// <remarks>
    /// A member given twice (<c>{"serviceItem":"a","serviceItem":"b"}</c>) is refused, not settled by the last one.
    /// </remarks>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.Strict, AllowDuplicateProperties = false,
    };

    /// <summary>
    /// The body as <typeparamref name="T"/>, or the problem to answer: 415 for another media type, 400 naming the field
    /// where the JSON breaks off, or every field whose value is of the wrong type, or <c>$</c> for a body that is not an
    /// object.
    /// </summary>
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request) where T : class
    {
        if (Unsupported(request) is { } unsupported) return (null, unsupported);
        // Read whole, so that a body the serializer refuses can be read again: bodies are small (the request size limit,
        // 1 MB standalone), and held in memory, never in a temporary file, as they carry personal data.
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, request.HttpContext.RequestAborted);
        return await ParseAsync<T>(body, request.HttpContext.RequestAborted);
    }

    /// <summary>The same for a body the caller has read already (intake hashes it first).</summary>
    public static Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, MemoryStream body) where T : class =>
        Unsupported(request) is { } unsupported ? Task.FromResult<(T?, IResult?)>((null, unsupported)) : ParseAsync<T>(body, request.HttpContext.RequestAborted);

    /// <summary>
    /// The 415 for a body that is not <c>application/json</c>, or declares a charset other than UTF-8 (JSON between systems
    /// is UTF-8, RFC 8259 §8.1: a GBK body would be read as garbled names); null when the body may be read. A new result
    /// each time: the request's id is written into its problem details.
    /// </summary>
    private static IResult? Unsupported(HttpRequest request)
    {
        if (!request.HasJsonContentType()) return Problems.Of(415, "Unsupported media type", "Send the body as application/json.");
        var mediaType = Microsoft.Net.Http.Headers.MediaTypeHeaderValue.Parse(request.ContentType);
        return CsvUploads.DeclaresOtherThanUtf8(mediaType)
            ? Problems.Of(415, "Unsupported media type", $"The body must be UTF-8 (application/json; charset=utf-8), not {mediaType.Charset}.")
            : null;
    }

    private static async Task<(T? Value, IResult? Problem)> ParseAsync<T>(MemoryStream body, CancellationToken ct) where T : class
    {
        body.Position = 0;
        if (body.Length == 0) return (null, Problems.Invalid("$", "A JSON object is required."));
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(body, Options, ct);
            return value is null ? (null, Problems.Invalid("$", "A JSON object is required.")) : (value, null);
        }
        catch (JsonException e)
        {
            body.Position = 0;
            var errors = await WrongTypesAsync(body, Options.GetTypeInfo(typeof(T)), ct);
            return (null, errors is { Count: > 0 } ? Problems.Invalid(errors) : Problems.Invalid(Field(e.Path), Explain(e)));
        }
    }

    /// <summary>
    /// Every value of a well-formed body that its member's type refuses, by field path; null when the body is not
    /// well-formed JSON (the serializer's own error says where it breaks off). The serializer stops at the first such
    /// value, so each member's value is read alone, as the serializer reads it; objects and arrays are entered, so a
    /// wrong value inside <c>applicant</c> or <c>offices[1]</c> is named as such.
    /// </summary>
    private static async Task<Dictionary<string, string[]>?> WrongTypesAsync(Stream body, JsonTypeInfo type, CancellationToken ct)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(body, default, ct);
        }
        catch (JsonException)
        {
            return null;
        }
        using (document)
        {
            var errors = new Dictionary<string, string[]>();
            Collect(document.RootElement, type, "$", errors);
            return errors;
        }
    }

    /// <summary>Adds to <paramref name="errors"/> each value at or under <paramref name="path"/> that <paramref name="type"/> refuses.</summary>
    private static void Collect(JsonElement value, JsonTypeInfo type, string path, Dictionary<string, string[]> errors)
    {
        switch (type.Kind)
        {
            case JsonTypeInfoKind.Object when value.ValueKind == JsonValueKind.Object:
                var comparison = Options.PropertyNameCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
                foreach (var property in value.EnumerateObject())
                    if (type.Properties.FirstOrDefault(p => string.Equals(p.Name, property.Name, comparison)) is { } member)
                        Collect(property.Value, Options.GetTypeInfo(member.PropertyType), path == "$" ? member.Name : $"{path}.{member.Name}", errors);
                break;
            case JsonTypeInfoKind.Enumerable when value.ValueKind == JsonValueKind.Array && type.ElementType is { } elementType:
                var index = 0;
                foreach (var item in value.EnumerateArray()) Collect(item, Options.GetTypeInfo(elementType), $"{path}[{index++}]", errors);
                break;
            default:
                try
                {
                    value.Deserialize(type);
                }
                catch (JsonException)
                {
                    errors[path] = ["Must be " + MustBe(Nullable.GetUnderlyingType(type.Type) ?? type.Type)];
                }
                break;
        }
    }

    /// <summary>A JSON path (<c>$.applicant.idNumber</c>, <c>$['a b']</c>) as the API's field name (<c>applicant.idNumber</c>).</summary>
    public static string Field(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "$" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    private static string Explain(JsonException e)
    {
        if (ConvertedTo().Match(e.Message) is { Success: true } match)
            return "Must be " + MustBe(FieldType(match.Groups[1].Value, e.Path));
        // The serializer's own words name a .NET type: "Duplicate property 'name' encountered during deserialization of …".
        if (e.Message.StartsWith("Duplicate property", StringComparison.Ordinal)) return "Given more than once: give each member once.";
        return "Not valid JSON: " + e.Message.Split(" Path:")[0].Split(" LineNumber:")[0];
    }

    /// <summary>What a value of a .NET type is in JSON, in words (by its full name: the serializer's messages give no more).</summary>
    private static string MustBe(Type type) => MustBe(type.FullName ?? type.Name);

    private static string MustBe(string typeName) => typeName switch
    {
        "System.String" => "a string.",
        "System.Boolean" => "true or false.",
        "System.Int32" => "a whole number of at most 9 digits.",
        "System.Int64" => "a whole number of at most 18 digits.",
        "System.Decimal" => "a number of at most 28 digits.",
        "System.DateOnly" => "a date (yyyy-MM-dd).",
        "System.DateTimeOffset" or "System.DateTime" => "a date and time (ISO 8601).",
        _ when typeName.Contains("List`1", StringComparison.Ordinal) || typeName.EndsWith("[]", StringComparison.Ordinal) => "an array.",
        _ when typeName.StartsWith("System.Nullable`1", StringComparison.Ordinal) => "a value of the documented type, or null.",
        _ => "an object.",
    };

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
