using System.Text.Json.Nodes;

namespace Tongban.Tests.Payouts;

/// <summary>A shipped province file, changed for one test and written to the test's folder (Province:Name takes a path).</summary>
public static class ProvinceFiles
{
    public static string Write(string folder, string province, Action<JsonNode> change)
    {
        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Province", "Data", province + ".json")))!;
        change(node);
        var path = Path.Combine(folder, $"{province}-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, node.ToJsonString());
        return path;
    }

    public static JsonNode City(JsonNode province, string code) =>
        province["cities"]!.AsArray().Single(c => (string?)c!["code"] == code)!;
}
