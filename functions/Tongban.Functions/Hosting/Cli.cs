using System.CommandLine;
using CsvHelper;
using Tongban.Domain;
using Tongban.Domain.Claims;
using Tongban.Domain.Province;
using Tongban.Domain.Registry;
using Tongban.Registry;

namespace Tongban.Hosting;

/// <summary>
/// Without a command the app serves HTTP. Operators' commands: import-registry, demo-data, payout-run.
/// Commands use the same configuration (database, keys) as the service.
/// </summary>
public static class Cli
{
    public static async Task<int> RunAsync(string[] args)
    {
        var commands = BuildCommands();
        if (args.Length == 0 || !commands.Subcommands.Any(c => c.Name == args[0]) && args[0] is not ("--help" or "-h"))
        {
            var app = await TongbanApp.BuildAsync(args);
            await app.RunAsync();
            return 0;
        }
        return await commands.Parse(args).InvokeAsync();
    }

    private static RootCommand BuildCommands()
    {
        var root = new RootCommand("同办 Tongban: unemployment-insurance claims (全省通办). Without a command, serves HTTP.");

        var file = new Argument<string>("file") { Description = "CSV with the contract's header (a relative path from where the command is run)" };
        var import = new Command("import-registry",
            "Import contribution spells from the core insurance system (CSV). Settings may follow, e.g. --Database:Provider=postgres")
        {
            file,
        };
        import.TreatUnmatchedTokensAsErrors = false;
        import.SetAction(async (parse, ct) =>
        {
            var path = ResolvePath(parse.GetValue(file)!);
            if (!File.Exists(path))
            {
                Console.Error.WriteLine($"找不到文件 / file not found: {path}");
                return 1;
            }
            // Unmatched tokens are configuration overrides, as for the service (--ConnectionStrings:Tongban=…).
            await using var app = await TongbanApp.BuildAsync([.. parse.UnmatchedTokens, "--Durable:InProcess=false", "--Demo:Enabled=false"]);
            await using var stream = File.OpenRead(path);
            var result = await app.Services.GetRequiredService<RegistryImport>().ImportCsvAsync(stream, ct);
            Console.WriteLine($"新增 {result.Imported} 条，更新 {result.Updated} 条，拒绝 {result.Rejected.Count} 条，提示 {result.Flagged.Count} 条");
            foreach (var line in result.Rejected) Console.WriteLine($"  第 {line.Line} 行：{string.Join("；", line.Errors)}");
            return result.Rejected.Count == 0 ? 0 : 2;
        });
        root.Subcommands.Add(import);

        var people = new Option<int>("--people") { Description = "How many people", DefaultValueFactory = _ => 5000 };
        var seed = new Option<int>("--seed") { Description = "Random seed (same seed, same people)", DefaultValueFactory = _ => 20261122 };
        var province = new Option<string>("--province") { Description = "hainan, hebei or a JSON file", DefaultValueFactory = _ => "hainan" };
        var output = new Option<string>("--out") { Description = "Where to write the CSV (a relative path from where the command is run)", Required = true };
        var demo = new Command("demo-data", "Generate a realistic registry population as CSV") { people, seed, province, output };
        demo.SetAction(async (parse, ct) =>
        {
            var config = Province.ProvinceLoader.Load(parse.GetValue(province)!);
            var rows = DemoPopulation.Generate(parse.GetValue(people), parse.GetValue(seed), config.Cities.Select(c => c.Code).ToList(),
                YearMonth.Of(Deadlines.LocalDate(DateTimeOffset.UtcNow)));
            var path = ResolvePath(parse.GetValue(output)!);
            if (Path.GetDirectoryName(path) is { } folder && !Directory.Exists(folder))
            {
                Console.Error.WriteLine($"找不到目录 / directory not found: {folder}");
                return 1;
            }
            await using var writer = new StreamWriter(path);
            await using var csv = CsvWriter.Create(writer, null, leaveOpen: true);
            csv.WriteHeader(RegistryRow.Header);
            var count = 0;
            foreach (var r in rows)
            {
                csv.WriteRecord([r.IdNumber, r.Name, r.Mobile, r.BankAccount, r.CityCode, r.EmployerCode, r.EmployerName, r.StartMonth, r.EndMonth, r.SeparationReason]);
                count++;
            }
            Console.WriteLine($"已写入 {count} 条缴费记录：{path}");
            return 0;
        });
        root.Subcommands.Add(demo);
        root.Subcommands.Add(Payouts.PayoutCommand.Build());
        return root;
    }

    /// <summary>
    /// A path as the person who ran the command meant it. <c>dotnet run --project functions/Tongban.Functions</c> starts
    /// the app in the project's folder (<c>RunWorkingDirectory</c> in the .csproj, so that <c>data/</c> is found there
    /// whatever folder the command is run from), but the shell's <c>PWD</c> passes through to it unchanged: a relative
    /// path resolves against <c>PWD</c> when it names a folder, otherwise (no POSIX shell: cmd, PowerShell) against the
    /// process's current folder — the project's under <c>dotnet run</c>, so give a full path there.
    /// </summary>
    public static string ResolvePath(string path, string? invokedFrom = null)
    {
        invokedFrom ??= Environment.GetEnvironmentVariable("PWD");
        var from = invokedFrom is { Length: > 0 } && Path.IsPathFullyQualified(invokedFrom) && Directory.Exists(invokedFrom)
            ? invokedFrom
            : Directory.GetCurrentDirectory();
        return Path.GetFullPath(path, from);
    }
}
