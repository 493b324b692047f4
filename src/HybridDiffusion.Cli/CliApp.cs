using System.CommandLine;

namespace HybridDiffusion.Cli;

/// <summary>The `hybrid` command tree; tests invoke it in-process.</summary>
internal static class CliApp
{
    public static Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("hybrid: fast and diverse images from distilled diffusion models (base model for the first step, distilled for the rest).");
        root.Subcommands.Add(NewImageCommand.Create());
        root.Subcommands.Add(X0TrajectoryCommand.Create());
        root.Subcommands.Add(DiversityCommand.Create());
        root.Subcommands.Add(SliderTransferCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        return root.Parse(args).InvokeAsync();
    }
}
