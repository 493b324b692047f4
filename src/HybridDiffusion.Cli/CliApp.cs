using HybridDiffusion.Demo;

namespace HybridDiffusion.Cli;

/// <summary>
/// The `hybrid` command tree; tests invoke it in-process. One run makes one engine, which every verb runs on and which
/// is disposed (its sessions released) when the verb ends.
/// </summary>
internal static class CliApp
{
    /// <summary>The verbs, each running on <paramref name="engine"/>.</summary>
    public static RootCommand Root(HybridEngine engine)
    {
        var root = new RootCommand("hybrid: fast and diverse images from distilled diffusion models (base model for the first step, distilled for the rest).");
        root.Subcommands.Add(NewImageCommand.Create(engine));
        root.Subcommands.Add(X0TrajectoryCommand.Create(engine));
        root.Subcommands.Add(DiversityCommand.Create(engine));
        root.Subcommands.Add(AdherenceCommand.Create(engine));
        root.Subcommands.Add(SliderTransferCommand.Create(engine));
        root.Subcommands.Add(BenchCommand.Create(engine));
        root.Subcommands.Add(ReferenceCheckCommand.Create(engine));
        root.Subcommands.Add(StudyCommand.Create(engine));
        root.Subcommands.Add(DemoCommand.Create(engine));
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        // Making an engine loads nothing: a verb's first model does.
        using var engine = new HybridEngine(defaultModels: DemoModels.DefaultPair);
        // Plain `hybrid` asks what it can do: the usage, not an error.
        var parsed = Root(engine).Parse(args.Length == 0 ? new[] { "--help" } : args);
        var errors = CommandLineErrors.Of(parsed);
        if (errors.Count > 0)
        {
            // Unparsable arguments are invalid arguments (exit 2), named in one line each rather than under the whole help.
            foreach (var error in errors)
            {
                Console.Error.WriteLine("hybrid: error: " + error);
            }
            Console.Error.WriteLine("Run with --help for the options.");
            return ExitCodes.InvalidArgument;
        }
        // Our own signal handling, not System.CommandLine's: its timeout would end the process before a long model
        // step finished and cleaned up.
        using var signals = new TerminationSignals();
        return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, signals.Token);
    }
}
