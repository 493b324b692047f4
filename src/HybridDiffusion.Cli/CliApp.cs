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
        root.Subcommands.Add(ReferenceCheckCommand.Create());
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // Unparsable arguments are invalid arguments (exit 2), named in one line each rather than under the whole help.
            foreach (var error in parsed.Errors)
            {
                Console.Error.WriteLine("hybrid: error: " + error.Message);
            }
            Console.Error.WriteLine("Run with --help for the options.");
            return Task.FromResult(ExitCodes.InvalidArgument);
        }
        return parsed.InvokeAsync();
    }
}
