using Tongban.Bench;

// dotnet run -c Release --project bench/Tongban.Bench -- intake [sqlite|postgres|both] [applications] [clients] [InMemory|AzureStorage]
// dotnet run -c Release --project bench/Tongban.Bench -- payout [sqlite|postgres|both] [entitlements]
// dotnet run -c Release --project bench/Tongban.Bench -- supplementary [sqlite|postgres|both] [approvals] [existing payments]
// dotnet run -c Release --project bench/Tongban.Bench -- outreach [sqlite|postgres|both] [insured people]
// dotnet run -c Release --project bench/Tongban.Bench -- crosscheck [sqlite|postgres|both] [recipients] [comparison lines]
// PostgreSQL: set TONGBAN_BENCH_POSTGRES (or TONGBAN_TEST_POSTGRES) to a server where databases may be created.
// AzureStorage: set TONGBAN_BENCH_AZURITE to a storage connection string (Azurite: UseDevelopmentStorage=true).
var what = args.ElementAtOrDefault(0) ?? "intake";
var provider = args.ElementAtOrDefault(1) ?? "both";
var postgres = Environment.GetEnvironmentVariable("TONGBAN_BENCH_POSTGRES") ?? Environment.GetEnvironmentVariable("TONGBAN_TEST_POSTGRES");

if (what is not ("intake" or "payout" or "supplementary" or "outreach" or "crosscheck")) { Console.Error.WriteLine("Benchmarks: intake, payout, supplementary, outreach, crosscheck"); return 2; }
foreach (var p in provider == "both" ? ["sqlite", "postgres"] : new[] { provider })
{
    if (p == "postgres" && postgres is null) { Console.Error.WriteLine("Set TONGBAN_BENCH_POSTGRES for the PostgreSQL run."); return 2; }
    if (what == "payout")
        await PayoutBenchmark.RunAsync(p, int.Parse(args.ElementAtOrDefault(2) ?? "100000"), postgres);
    else if (what == "outreach")
        await OutreachBenchmark.RunAsync(p, int.Parse(args.ElementAtOrDefault(2) ?? "1000000"), postgres);
    else if (what == "crosscheck")
        await CrossCheckBenchmark.RunAsync(p, int.Parse(args.ElementAtOrDefault(2) ?? "1000000"), int.Parse(args.ElementAtOrDefault(3) ?? "5000000"), postgres);
    else if (what == "supplementary")
        await SupplementaryBenchmark.RunAsync(p, int.Parse(args.ElementAtOrDefault(2) ?? "10000"), long.Parse(args.ElementAtOrDefault(3) ?? "10000000"),
            postgres);
    else
        await IntakeBenchmark.RunAsync(p, int.Parse(args.ElementAtOrDefault(2) ?? "10000"), int.Parse(args.ElementAtOrDefault(3) ?? "16"), postgres,
            args.ElementAtOrDefault(4) ?? "InMemory");
}
return 0;
