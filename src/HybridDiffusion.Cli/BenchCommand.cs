using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HybridDiffusion.Benchmarks;
using HybridDiffusion.Onnx;
using HybridDiffusion.Sampling;

namespace HybridDiffusion.Cli;

/// <summary>`hybrid bench`: per-image time of each mode and the engine's own time per step, measured in one run.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var images = new Option<int>("--images") { Description = "Measured images per mode.", DefaultValueFactory = _ => 200 };
        var warmup = new Option<int>("--warmup") { Description = "Unmeasured images per mode first.", DefaultValueFactory = _ => 20 };
        var baseModel = new Option<string?>("--base-model") { Description = "Base model folder (default: the demo pair)." };
        var distilledModel = new Option<string?>("--distilled-model") { Description = "Distilled model folder (default: the demo pair)." };
        var provider = new Option<ExecutionProvider>("--provider") { Description = "auto, cuda or cpu.", DefaultValueFactory = _ => ExecutionProvider.Auto };
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON object." };
        var command = new Command("bench", "Benchmark hybrid vs distilled (and skip-first, base) per-image time and the engine's per-step overhead.")
        {
            images, warmup, baseModel, distilledModel, provider, json,
        };
        command.SetAction((result, cancellation) => Task.FromResult(ExitCodes.Guard(() =>
        {
            int count = result.GetValue(images);
            if (count < 1)
            {
                throw HybridDiffusionException.Argument("Images", $"--images must be at least 1; got {count}.");
            }
            var template = new GenerationRequest
            {
                Prompts = new[] { "a photo of a red circle" },
                BaseModel = result.GetValue(baseModel),
                DistilledModel = result.GetValue(distilledModel),
                Session = new SessionSettings(result.GetValue(provider)),
            };
            var bench = PipelineBenchmark.Run(template, count, Math.Max(0, result.GetValue(warmup)), cancellation);
            Console.WriteLine(result.GetValue(json) ? JsonSerializer.Serialize(bench) : Format(bench));
            return ExitCodes.Success;
        })));
        command.Subcommands.Add(CreateDistance());
        return command;
    }

    /// <summary>`hybrid bench diversity`: a full pairwise distance matrix over synthetic images.</summary>
    private static Command CreateDistance()
    {
        var images = new Option<int>("--images") { Description = "Images in the set (pairs = n(n−1)/2).", DefaultValueFactory = _ => 1000 };
        var size = new Option<int>("--size") { Description = "Image side in pixels.", DefaultValueFactory = _ => 128 };
        var metric = new Option<string>("--metric") { Description = "rms, ssim or ms-ssim.", DefaultValueFactory = _ => "rms" };
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON object." };
        var command = new Command("diversity", "Benchmark the pairwise distance matrix of a model-free diversity metric.") { images, size, metric, json };
        command.SetAction((result, cancellation) => Task.FromResult(ExitCodes.Guard(() =>
        {
            int count = result.GetValue(images), side = result.GetValue(size);
            if (count < 2 || side < 16)
            {
                throw HybridDiffusionException.Argument(count < 2 ? "Images" : "Size", $"Use --images ≥ 2 and --size ≥ 16; got {count} and {side}.");
            }
            var bench = DistanceBenchmark.Run(DiversityCommand.ParseMetric(result.GetValue(metric)!), count, side, cancellation);
            Console.WriteLine(result.GetValue(json) ? JsonSerializer.Serialize(bench) : string.Create(CultureInfo.InvariantCulture,
                $"{bench.Metric}: {bench.Images} images of {bench.Size}x{bench.Size}, {bench.Pairs} pairs in {bench.Seconds:F3} s " +
                $"({bench.PairsPerSecond:F0} pairs/s, {bench.Threads} threads); SIMD kernel ÷ scalar loop speed: {bench.SimdOverScalar:F2}×"));
            return ExitCodes.Success;
        })));
        return command;
    }

    private static string Format(BenchmarkResult bench)
    {
        var lines = new List<string>
        {
            $"{"mode",-11} {"steps",5} {"images",6} {"ms/image",10} {"unet ms",9} {"engine µs/step",15}",
        };
        lines.AddRange(bench.Modes.Select(m => string.Create(CultureInfo.InvariantCulture,
            $"{m.Mode.ToString().ToLowerInvariant(),-11} {m.Steps,5} {m.Images,6} {m.MedianImageMs,10:F3} {m.MedianUNetMs,9:F3} {m.EngineMicrosecondsPerStep,15:F1}")));
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"hybrid / distilled per-image time: {bench.HybridOverDistilled:F3} (medians, same run)"));
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"managed allocation per extra denoising step: {bench.AllocatedBytesPerStep:F0} bytes"));
        return string.Join(Environment.NewLine, lines);
    }
}
