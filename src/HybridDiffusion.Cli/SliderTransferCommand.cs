using HybridDiffusion.Analysis.Sliders;

namespace HybridDiffusion.Cli;

/// <summary>`hybrid slider-transfer`: how far a slider moves base and distilled images, side by side (the paper's Table 1).</summary>
internal static class SliderTransferCommand
{
    public static Command Create(HybridEngine engine)
    {
        var generation = new GenerationOptions();
        var file = new Option<string>("--file") { Description = "The slider or LoRA .safetensors file.", Required = true };
        var strengths = new Option<float[]>("--strength")
        {
            Description = $"Strengths to compare with strength 0 (several allowed). Without --seed or --count, seeds 0 to {SliderTransferRequest.DefaultSeedCount - 1}.",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => SliderTransferRequest.DefaultStrengths.ToArray(),
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per strength." };
        var command = new Command("slider-transfer",
            "Measure how far a slider moves base-model and distilled-model images from strength 0 (same seeds). It runs modes base and distilled itself: --mode, --plan and --base-steps are refused.");
        generation.AddTo(command);
        foreach (var option in new Option[] { file, strengths, json })
        {
            command.Options.Add(option);
        }
        command.SetAction((result, cancellation) => Task.FromResult(ExitCodes.Guard(result, () =>
        {
            var observer = new ConsoleObserver(result.GetValue(generation.Verbose));
            var rows = SliderTransfer.Measure(engine, new SliderTransferRequest
            {
                Generation = generation.ToRequest(result, outputDirectory: null),
                SliderPath = result.GetValue(file)!,
                Strengths = result.GetValue(strengths)!,
            }, observer, cancellation);
            observer.EndProgress();
            if (result.GetValue(json))
            {
                foreach (var row in rows)
                {
                    Console.WriteLine(JsonSerializer.Serialize(new { strength = row.Strength, baseDistance = row.BaseDistance, distilledDistance = row.DistilledDistance, ratio = row.Ratio }));
                }
            }
            else
            {
                Console.WriteLine($"{"strength",8} {"base moves",11} {"distilled moves",16} {"distilled/base",15}");
                foreach (var row in rows)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{row.Strength,8:+0.###;-0.###} {row.BaseDistance,11:F4} {row.DistilledDistance,16:F4} {(row.Ratio is double r ? r.ToString("F2", CultureInfo.InvariantCulture) : "n/a"),15}"));
                }
            }
            return ExitCodes.Success;
        })));
        return command;
    }
}
