using System.Text.Json;
using System.Text.RegularExpressions;

namespace Tongban.Tests.Archive;

/// <summary>
/// Every configuration key the app's code reads must be declared where the app is configured outside
/// appsettings.json: local.settings.sample.json (running under Core Tools) and the Bicep app settings
/// (Azure). A key read through a constant or bound as a whole section is not seen by the scan; read
/// settings by their literal "Section:Key" name.
/// </summary>
public sealed partial class SettingsDeclaredSpec
{
    /// <summary>Keys the code reads that are not ours to declare anywhere.</summary>
    private static readonly Dictionary<string, string> PlatformKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        ["urls"] = "ASP.NET Core's listen address for standalone runs; the Functions host gives the worker its own.",
        ["Hosting:FunctionsHost"] = "set in memory by the app itself when the Functions host starts it.",
    };

    /// <summary>Key prefixes that only the standalone app reads, so neither Core Tools nor Azure declares them.</summary>
    private static readonly Dictionary<string, string> StandaloneOnly = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Durable:"] = "the standalone in-process Durable Task worker and its backend; under the Functions host, host.json with the TaskHubName and AzureWebJobsStorage settings configures Durable.",
        ["Console:"] = "where the standalone app finds the staff console's build; in Azure a Static Web App serves the console.",
    };

    /// <summary>Key prefixes left out of the Azure app settings only.</summary>
    private static readonly Dictionary<string, string> NotInAzure = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Demo:"] = "development-only demo seed (accounts with a known password, generated people); Azure never seeds demo data and Demo:Enabled defaults to false.",
    };

    private static bool IsStandaloneOnly(string key) =>
        StandaloneOnly.Keys.Any(prefix => key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));

    [Fact]
    public void Every_setting_the_code_reads_is_in_local_settings_sample()
    {
        var declared = LocalSettingsSample();

        var missing = SettingsReadByCode().Where(key => !IsStandaloneOnly(key) && !declared.Contains(EnvironmentName(key))).ToList();

        Assert.True(missing.Count == 0,
            "local.settings.sample.json Values lacks: " + string.Join(", ", missing.Select(EnvironmentName)));
    }

    [Fact]
    public void Every_setting_the_code_reads_is_an_app_setting_in_the_bicep()
    {
        var bicep = BicepText();

        var missing = SettingsReadByCode()
            .Where(key => !IsStandaloneOnly(key) && !NotInAzure.Keys.Any(prefix => key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            .Where(key => !DeclaredInBicep(bicep, EnvironmentName(key)))
            .ToList();

        Assert.True(missing.Count == 0, "No app setting in infra/**/*.bicep for: " + string.Join(", ", missing.Select(EnvironmentName)));
    }

    [Fact]
    public void The_scan_sees_settings_read_each_way()
    {
        var keys = SettingsReadByCode();

        Assert.Contains("Database:Provider", keys);       // configuration["…"]
        Assert.Contains("Durable:InProcess", keys);       // GetValue("…", default)
        Assert.Contains("ConnectionStrings:Tongban", keys); // GetConnectionString("…")
        Assert.Contains("Archive:Provider", keys);
    }

    [Fact]
    public void A_setting_declared_nowhere_is_reported()
    {
        const string source = """
            var a = configuration["Nowhere:Declared"];
            var b = configuration.GetValue<int>("Nowhere:Typed", 3);
            var c = configuration.GetConnectionString("Nowhere");
            if (headers.TryGetValue("X-Not-A-Setting", out var v)) { }
            """;

        var keys = Scan(source);

        Assert.Equal(["ConnectionStrings:Nowhere", "Nowhere:Declared", "Nowhere:Typed"], keys.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(EnvironmentName("Nowhere:Declared"), LocalSettingsSample());
        Assert.False(DeclaredInBicep(BicepText(), EnvironmentName("Nowhere:Declared")));
    }

    private static SortedSet<string> SettingsReadByCode()
    {
        var folder = Path.Combine(RepositoryRoot.Path, "functions", "Tongban.Functions");
        var keys = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(folder, file).Replace('\\', '/');
            if (relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal)) continue;
            keys.UnionWith(Scan(File.ReadAllText(file)));
        }
        keys.ExceptWith(PlatformKeys.Keys);
        return keys;
    }

    private static IEnumerable<string> Scan(string source) =>
        Indexer().Matches(source).Concat(GetValue().Matches(source)).Select(m => m.Groups["key"].Value)
            .Concat(ConnectionString().Matches(source).Select(m => "ConnectionStrings:" + m.Groups["name"].Value))
            .Distinct(StringComparer.OrdinalIgnoreCase);

    /// <summary>Environment variables and app settings spell the section separator as a double underscore.</summary>
    private static string EnvironmentName(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    private static HashSet<string> LocalSettingsSample()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "local.settings.sample.json")));
        return document.RootElement.GetProperty("Values").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    private static string BicepText() =>
        string.Join('\n', Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "infra"), "*.bicep", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal).Select(File.ReadAllText));

    // An object property (Key__Name: value) or a name/value pair (name: 'Key__Name').
    private static bool DeclaredInBicep(string bicep, string name) =>
        Regex.IsMatch(bicep, $@"(?m)^\s*'?{Regex.Escape(name)}'?\s*:|name:\s*'{Regex.Escape(name)}'", RegexOptions.IgnoreCase);

    [GeneratedRegex("""[Cc]onfig\w*\s*\[\s*"(?<key>[^"]+)"\s*\]""")]
    private static partial Regex Indexer();

    [GeneratedRegex("""(?<![\w])GetValue(?:<[^>]+>)?\(\s*"(?<key>[^"]+)"\s*[,)]""")]
    private static partial Regex GetValue();

    [GeneratedRegex("""(?<![\w])GetConnectionString\(\s*"(?<name>[^"]+)"\s*\)""")]
    private static partial Regex ConnectionString();
}
