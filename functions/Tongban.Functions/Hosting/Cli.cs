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

        var file = new Argument<FileInfo>("file") { Description = "CSV with the contract's header" };
        var import = new Command("import-registry",
            "Import contribution spells from the core insurance system (CSV). Settings may follow, e.g. --Database:Provider=postgres")
        {
            file,
        };
        import.TreatUnmatchedTokensAsErrors = false;
        import.SetAction(async (parse, ct) =>
        {
            // Unmatched tokens are configuration overrides, as for the service (--ConnectionStrings:Tongban=…).
            await using var app = await TongbanApp.BuildAsync([.. parse.UnmatchedTokens, "--Durable:InProcess=false", "--Demo:Enabled=false"]);
            await using var stream = parse.GetValue(file)!.OpenRead();
            var result = await app.Services.GetRequiredService<RegistryImport>().ImportCsvAsync(stream, ct);
            Console.WriteLine($"新增 {result.Imported} 条，更新 {result.Updated} 条，拒绝 {result.Rejected.Count} 条，提示 {result.Flagged.Count} 条");
            foreach (var line in result.Rejected) Console.WriteLine($"  第 {line.Line} 行：{string.Join("；", line.Errors)}");
            return result.Rejected.Count == 0 ? 0 : 2;
        });
        root.Subcommands.Add(import);

        var people = new Option<int>("--people") { Description = "How many people", DefaultValueFactory = _ => 5000 };
        var seed = new Option<int>("--seed") { Description = "Random seed (same seed, same people)", DefaultValueFactory = _ => 20261122 };
        var province = new Option<string>("--province") { Description = "hainan, hebei or a JSON file", DefaultValueFactory = _ => "hainan" };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the CSV", Required = true };
        var demo = new Command("demo-data", "Generate a realistic registry population as CSV") { people, seed, province, output };
        demo.SetAction(async (parse, ct) =>
        {
            var config = Province.ProvinceLoader.Load(parse.GetValue(province)!);
            var rows = DemoPopulation.Generate(parse.GetValue(people), parse.GetValue(seed), config.Cities.Select(c => c.Code).ToList(),
                YearMonth.Of(Deadlines.LocalDate(DateTimeOffset.UtcNow)));
            await using var writer = new StreamWriter(parse.GetValue(output)!.FullName);
            await using var csv = CsvWriter.Create(writer, null, leaveOpen: true);
            csv.WriteHeader(RegistryRow.Header);
            var count = 0;
            foreach (var r in rows)
            {
                csv.WriteRecord([r.IdNumber, r.Name, r.Mobile, r.BankAccount, r.CityCode, r.EmployerCode, r.EmployerName, r.StartMonth, r.EndMonth, r.SeparationReason]);
                count++;
            }
            Console.WriteLine($"已写入 {count} 条缴费记录：{parse.GetValue(output)!.FullName}");
            return 0;
        });
        root.Subcommands.Add(demo);
        root.Subcommands.Add(Payouts.PayoutCommand.Build());
        return root;
    }
}
