using System.Text.Json;

namespace Tongban.Hosting;

/// <summary>
/// Reads a JSON request body so that malformed JSON and wrong types come back as a 400 that names
/// the field (JSON path), instead of the framework's bare 400.
/// </summary>
public static class JsonBody
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

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
            var path = string.IsNullOrEmpty(e.Path) ? "$" : e.Path;
            var message = e.Message.Split(". Path:")[0];
            return (null, Problems.Invalid(path, message));
        }
    }
}
