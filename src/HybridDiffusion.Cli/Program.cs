using HybridDiffusion.Cli;

return await CliApp.RunAsync(args);
