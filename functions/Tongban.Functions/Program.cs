using Tongban.Hosting;

if (FunctionsWorker.IsLaunchedByHost(args))
{
    await FunctionsWorker.RunAsync(args);
    return 0;
}
return await Cli.RunAsync(args);
