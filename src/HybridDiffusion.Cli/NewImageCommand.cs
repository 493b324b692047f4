using HybridDiffusion.Contracts.Sampling;

namespace HybridDiffusion.Cli;

/// <summary>`hybrid new-image`: the CLI face of New-HybridImage.</summary>
internal static class NewImageCommand
{
    public static Command Create(HybridEngine engine)
    {
        var options = new GenerationOptions();
        var output = new Option<string>("--output", "-o") { Description = "Folder for the PNG files.", DefaultValueFactory = _ => "out" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per image (path, prompt, seed, mode, width, height, elapsedMs, setupMs, ...)." };
        var command = new Command("new-image", "Generate images in hybrid, distilled, base, skip-first, reverse or plan mode and write PNG files.");
        options.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(json);
        command.SetAction((result, cancellation) => Task.FromResult(ExitCodes.Guard(result, () =>
        {
            var observer = new ConsoleObserver(result.GetValue(options.Verbose));
            var request = options.ToRequest(result, result.GetValue(output)!);
            int written = 0;
            double setupMs = 0;
            foreach (var image in engine.Generate(request, observer, cancellation))
            {
                observer.EndProgress();
                Console.WriteLine(result.GetValue(json) ? ToJson(image) : Describe(image));
                written++;
                setupMs += image.SetupMs;
            }
            observer.EndProgress();
            if (!result.GetValue(json))
            {
                Console.WriteLine($"One-time work (model loading, warm-up runs): {setupMs:F1} ms, not counted in the per-image times above.");
                Console.WriteLine($"Wrote {written} image(s) to {Path.GetFullPath(request.OutputDirectory!)}");
            }
            return ExitCodes.Success;
        })));
        return command;
    }

    private static string Describe(GeneratedImage image) =>
        $"{image.Path}  ({image.Mode.ToString().ToLowerInvariant()}, seed {image.Seed}, {image.Steps} steps, {image.ElapsedMs:F1} ms)";

    internal static string ToJson(GeneratedImage image) => JsonSerializer.Serialize(new
    {
        path = image.Path,
        prompt = image.Prompt,
        seed = image.Seed,
        mode = image.Mode.ToString().ToLowerInvariant(),
        width = image.Width,
        height = image.Height,
        elapsedMs = Math.Round(image.ElapsedMs, 3),
        unetMs = Math.Round(image.UNetMs, 3),
        setupMs = Math.Round(image.SetupMs, 3),
        steps = image.Steps,
        plan = image.Plan,
        methods = image.Methods,
        transition = image.Transition is { } choice ? new
        {
            baseSteps = choice.BaseSteps,
            probeSeeds = choice.ProbeSeeds,
            distilledSpread = choice.DistilledSpread.Select(s => Math.Round(s, 6)),
            referenceSpread = Math.Round(choice.ReferenceSpread, 6),
            threshold = TransitionChoice.Threshold,
            probeModelCalls = choice.ModelCalls,
            cached = choice.Cached,
        } : null,
        modelCalls = image.ModelCalls,
        scheduler = image.Scheduler,
        provider = image.Provider,
        baseModel = image.BaseModel,
        distilledModel = image.DistilledModel,
        sliders = image.Sliders,
    });
}
