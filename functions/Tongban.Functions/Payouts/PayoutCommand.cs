using System.CommandLine;
using Dapper;
using Spectre.Console;
using Tongban.Domain;
using Tongban.Domain.Claims;
using Tongban.Hosting;
using Tongban.Storage;

namespace Tongban.Payouts;

/// <summary>
/// <c>payout-run --period 2026-11</c>: starts (or finds) the month's run — a supplementary one once its runs have
/// completed and something is due — and works it from this process, step by step
/// without Durable (<see cref="PayoutRuns.RunStepsAsync"/>), with a progress display. A service working the same run at
/// the same time is no harm: each step finds what the other committed and does the rest.
/// </summary>
public static class PayoutCommand
{
    public static Command Build()
    {
        var period = new Option<string>("--period") { Description = "The month to pay, YYYY-MM (not a month yet to begin)", Required = true };
        var command = new Command("payout-run", "Run the payout of a month: its monthly run, or a supplementary run once that has completed. Settings may follow, e.g. --Database:Provider=postgres") { period };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, ct) =>
        {
            await using var app = await TongbanApp.BuildAsync([.. parse.UnmatchedTokens, "--Durable:InProcess=false", "--Demo:Enabled=false"]);
            var clock = app.Services.GetRequiredService<TimeProvider>();
            if (!YearMonth.TryParse(parse.GetValue(period), out var month))
            {
                Console.Error.WriteLine("--period 须为 YYYY-MM 格式的月份");
                return 2;
            }
            var province = app.Services.GetRequiredService<Domain.Province.ProvinceConfig>();
            switch (PayoutPeriods.Check(month, province, clock.GetUtcNow()))
            {
                case PeriodRefusal.NotBegun:
                    Console.Error.WriteLine($"{month} 尚未开始，不能发放");
                    return 2;
                case PeriodRefusal.BeforeStandards:
                    Console.Error.WriteLine($"{month} 早于本省首个失业保险金标准生效月份 {PayoutPeriods.FirstPayable(province)}，不能发放");
                    return 2;
            }
            var runs = app.Services.GetRequiredService<PayoutRuns>();
            var run = (await runs.RequestAsync(month, $"cli:{Environment.UserName}", ct))!;
            var name = run.Kind == RunKind.Monthly ? "发放批次" : $"第{run.Sequence}次补发批次";
            Console.WriteLine(run.Created ? $"已创建 {month} {name} {run.RunId}" : $"{month} {name}已存在：{run.RunId}（不会重复发放）");
            return await WorkWithProgressAsync(app.Services, run.RunId, ct);
        });
        return command;
    }

    private static async Task<int> WorkWithProgressAsync(IServiceProvider services, string runId, CancellationToken ct)
    {
        var database = services.GetRequiredService<Database>();
        var chunkSize = services.GetRequiredService<PayoutOptions>().ChunkSize;
        var working = services.GetRequiredService<PayoutRuns>().RunStepsAsync(runId, ct);

        await AnsiConsole.Progress().AutoClear(false).HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var paying = progress.AddTask("按批生成发放明细");
                var issuing = progress.AddTask("生成银行代发文件（按城市）");
                while (true)
                {
                    await using (var c = await database.OpenAsync(ct))
                    {
                        var run = (await PayoutRuns.FindAsync(c, runId))!;
                        var applications = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM applications");
                        paying.MaxValue = Math.Max(1, (applications + chunkSize - 1) / chunkSize + 1);
                        paying.Value = run.Status is RunStatus.Issuing or RunStatus.Completed ? paying.MaxValue : run.Chunks;
                        var files = await c.QuerySingleAsync<(long Cities, long Archived)>(
                            """
                            SELECT (SELECT COUNT(DISTINCT city_code) FROM payments WHERE run_id = @runId),
                                   (SELECT COUNT(*) FROM payout_files WHERE run_id = @runId AND archived)
                            """, new { runId });
                        issuing.MaxValue = Math.Max(1, files.Cities);
                        issuing.Value = run.Status == RunStatus.Completed ? issuing.MaxValue : files.Archived;
                    }
                    if (working.IsCompleted) break;
                    await Task.WhenAny(working, Task.Delay(300, ct));
                }
            });

        try
        {
            await working;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Console.Error.WriteLine($"发放未完成：{e.Message}");
            return 1;
        }
        await using var connection = await database.OpenAsync(CancellationToken.None);
        var view = (await PayoutViews.RunAsync(connection, runId))!;
        Console.WriteLine($"{view.Period} 发放完成：{view.Payments} 笔，合计 {view.TotalAmount:0.00} 元（失业保险金 {view.BenefitAmount:0.00}，" +
                          $"代缴医疗保险费 {view.MedicalContribution:0.00}，重发 {view.Reissued:0.00}，抵扣 {view.Deducted:0.00}）");
        foreach (var file in view.Files)
            Console.WriteLine($"  {file.CityCode}：{file.Payments} 笔 {file.Amount:0.00} 元 → {file.Path}{(file.Held > 0 ? $"（{file.Held} 笔无金融账户，待处理）" : "")}");
        return 0;
    }
}
