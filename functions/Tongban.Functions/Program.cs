using Tongban.Hosting;

return await Cli.RunAsync(args);
