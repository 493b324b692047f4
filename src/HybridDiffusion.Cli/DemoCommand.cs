using HybridDiffusion.Demo;

namespace HybridDiffusion.Cli;

/// <summary>`hybrid demo reference`: samples of the built-in demo pair's true distribution, the reference set of FID and KID on the demo.</summary>
internal static class DemoCommand
{
    public static Command Create(HybridEngine engine)
    {
        var command = new Command("demo", "What the built-in demo pair knows exactly about its own data.");
        command.Subcommands.Add(Reference(engine));
        return command;
    }

    private static Command Reference(HybridEngine engine)
    {
        var prompt = new Argument<string>("prompt") { Description = "The prompt whose true distribution to sample." };
        var count = new Option<int>("--count", "-n") { Description = "How many images to write (FID on the demo embedding needs more than 64).", DefaultValueFactory = _ => 96 };
        var seed = new Option<long>("--seed", "-s") { Description = "Seed of the draws: the same seed writes the same files.", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--output", "-o") { Description = "Folder for the PNG files.", DefaultValueFactory = _ => "reference" };
        var command = new Command("reference",
            "Write PNG samples of the demo pair's true scene distribution for a prompt (the scenes it leaves, by their weights, through the demo VAE): a reference set for `hybrid diversity --reference`.")
        {
            prompt, count, seed, output,
        };
        command.SetAction((result, _) => Task.FromResult(ExitCodes.Guard(result, () =>
        {
            var text = result.GetValue(prompt)!;
            var paths = DemoReference.Write(engine, engine.DefaultModels().BaseModel, text, result.GetValue(count), result.GetValue(seed), result.GetValue(output)!);
            var scenes = string.Join(", ", DemoReference.Scenes(text).Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Scene} {s.Probability:P1}")));
            Console.WriteLine($"Wrote {paths.Count} samples of the true distribution of '{text}' ({scenes}) to {Path.GetDirectoryName(paths[0])}.");
            return ExitCodes.Success;
        })));
        return command;
    }
}
