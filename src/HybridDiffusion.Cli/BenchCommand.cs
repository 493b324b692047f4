using System.Diagnostics;
using HybridDiffusion.Analysis.Benchmarks;
using HybridDiffusion.Contracts.Sampling;

namespace HybridDiffusion.Cli;

/// <summary>`hybrid bench`: per-image time, throughput, peak memory and overhead of each mode and batch size, in one run.</summary>
internal static class BenchCommand
{
    // camelCase keys and lower-case mode names ("skip-first"), as every other --json writes.
    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static Command Create(HybridEngine engine)
    {
        var images = new Option<int>("--images") { Description = "Measured images per mode and batch size.", DefaultValueFactory = _ => 64 };
        var rounds = new Option<int>("--rounds") { Description = "Rounds the rows are interleaved over (after one warm-up round).", DefaultValueFactory = _ => 16 };
        var batch = new Option<int[]>("--batch")
        {
            Description = "Batch sizes to measure.", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => new[] { 1, 4, 16 },
        };
        var mode = new Option<string[]>("--mode")
        {
            Description = "Modes to measure: base, distilled, hybrid, skip-first.", AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => PipelineBenchmark.Modes.Select(GenerationModes.Name).ToArray(),
        };
        var models = new BenchModelOptions();
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON object." };
        var command = new Command("bench", "Benchmark base-50, distilled-4, hybrid and skip-first at several batch sizes: per-image ms, images/s, " +
            "peak working set, and orchestration overhead (denoising loop ÷ UNet session.Run time).")
        {
            images, rounds, batch, mode, json,
        };
        models.AddTo(command);
        command.SetAction((result, cancellation) => Task.FromResult(ExitCodes.Guard(result, () =>
        {
            int count = result.GetValue(images), roundCount = result.GetValue(rounds);
            var sizes = result.GetValue(batch)!;
            if (count < 1 || roundCount < 1 || sizes.Length == 0 || sizes.Any(b => b < 1))
            {
                throw HybridDiffusionException.Argument(SettingId.Images, $"Use --images ≥ 1, --rounds ≥ 1 and batch sizes ≥ 1; got {count}, {roundCount} and {string.Join(" ", sizes)}.");
            }
            var modes = result.GetValue(mode)!.Select(GenerationModes.Parse).Distinct().ToArray();
            var unsupported = modes.Except(PipelineBenchmark.Modes).ToList();
            if (unsupported.Count > 0)
            {
                throw HybridDiffusionException.Argument(SettingId.Mode, $"bench measures base, distilled, hybrid and skip-first; got {string.Join(", ", unsupported)}.");
            }
            var progress = new ConsoleObserver(verbose: false);
            var bench = PipelineBenchmark.Run(engine, models.ToRequest(result), modes, sizes.Distinct().Order().ToArray(), count, roundCount,
                new Progress<string>(progress.Status), cancellation);
            progress.EndProgress();
            Console.WriteLine(result.GetValue(json) ? JsonSerializer.Serialize(bench, s_json) : Format(bench));
            return ExitCodes.Success;
        })));
        command.Subcommands.Add(CreateMemory(engine));
        command.Subcommands.Add(CreateDistance());
        return command;
    }

    /// <summary>
    /// `hybrid bench memory`: the peak working set of a hybrid request in concurrent and in sequential memory mode,
    /// each run in a fresh process of its own (a process's peak includes loading its models).
    /// </summary>
    private static Command CreateMemory(HybridEngine engine)
    {
        var images = new Option<int>("--images") { Description = "Hybrid images per run.", DefaultValueFactory = _ => 8 };
        var child = new Option<MemoryMode?>("--child") { Description = "Run one measurement in this process (used by the parent).", Hidden = true };
        var models = new BenchModelOptions();
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON object." };
        var command = new Command("memory", "Peak working set of concurrent vs sequential memory mode, each in a fresh process.") { images, child, json };
        models.AddTo(command);
        command.SetAction((result, cancellation) => Task.FromResult(ExitCodes.Guard(result, () =>
        {
            var request = models.ToRequest(result) with
            {
                Modes = new[] { GenerationMode.Hybrid },
                Count = Math.Max(1, result.GetValue(images)),
            };
            if (result.GetValue(child) is MemoryMode mode)
            {
                var watch = Stopwatch.StartNew();
                int made = engine.Generate(request with { MemoryMode = mode }, cancellation: cancellation).Count();
                Console.WriteLine(JsonSerializer.Serialize(new MemoryRun(mode, made, ProcessMemory.PeakWorkingSetBytes() / 1048576.0, watch.Elapsed.TotalSeconds), s_json));
                return ExitCodes.Success;
            }
            var runs = new[] { MemoryMode.Concurrent, MemoryMode.Sequential }.Select(m => RunChild(result, m, cancellation)).ToArray();
            var comparison = new MemoryComparison(runs[0], runs[1], runs[1].PeakWorkingSetMB / runs[0].PeakWorkingSetMB);
            if (result.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(comparison, s_json));
                return ExitCodes.Success;
            }
            Console.WriteLine($"{"memory mode",-11} {"images",6} {"peak MB",9} {"seconds",8}");
            foreach (var run in runs)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{run.Mode.ToString().ToLowerInvariant(),-11} {run.Images,6} {run.PeakWorkingSetMB,9:F1} {run.Seconds,8:F2}"));
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sequential / concurrent peak working set: {comparison.SequentialOverConcurrent:F3}"));
            return ExitCodes.Success;
        })));
        return command;
    }

    // Runs this same command line again with --child MODE, in a new process, and reads its one JSON line.
    private static MemoryRun RunChild(ParseResult result, MemoryMode mode, CancellationToken cancellation)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        // The first command-line argument is hybrid.dll however the CLI started; only the dotnet host needs it passed on
        // (`dotnet hybrid.dll`, `dotnet run`): the hybrid executable and the installed tool's launcher know their .dll.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(Environment.GetCommandLineArgs()[0]);
        }
        foreach (var token in new[] { "bench", "memory" }.Concat(result.Tokens.Select(t => t.Value).SkipWhile(t => t is "bench" or "memory"))
            .Where(t => t != "--json"))
        {
            start.ArgumentList.Add(token);
        }
        start.ArgumentList.Add("--child");
        start.ArgumentList.Add(mode.ToString());
        using var process = Process.Start(start)!;
        using var stop = cancellation.Register(() => process.Kill(entireProcessTree: true));
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        cancellation.ThrowIfCancellationRequested();
        if (process.ExitCode != 0)
        {
            // The child's exit code decides: its refusal of an argument is this run's; anything else (a missing model) is
            // a failure, exit 1, as the same error would be in new-image.
            throw new HybridDiffusionException(process.ExitCode == ExitCodes.InvalidArgument ? HybridErrorKind.InvalidArgument : HybridErrorKind.IOFailure,
                $"The {mode} measurement failed (exit code {process.ExitCode}); its error is above.");
        }
        return JsonSerializer.Deserialize<MemoryRun>(output.Trim().Split('\n')[^1], s_json)!;
    }

    /// <summary>`hybrid bench diversity`: what `hybrid diversity` does with one group of synthetic images, step by step.</summary>
    private static Command CreateDistance()
    {
        var images = new Option<int>("--images") { Description = "Images in the set (pairs = n(n−1)/2).", DefaultValueFactory = _ => 1000 };
        var distinct = new Option<int?>("--distinct") { Description = "How many different pictures the set holds, each repeated in turn (as a collapsed model makes them); default: all different." };
        var size = new Option<int>("--size") { Description = "Image side in pixels.", DefaultValueFactory = _ => DiversityRequest.Defaults.Size };
        var metric = new Option<string>("--metric") { Description = "rms, ssim or ms-ssim.", DefaultValueFactory = _ => "rms" };
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON object." };
        var command = new Command("diversity", "Benchmark the distances, Vendi score and bootstrap interval of one group of synthetic images.")
        {
            images, distinct, size, metric, json,
        };
        command.SetAction((result, cancellation) => Task.FromResult(ExitCodes.Guard(result, () =>
        {
            int count = result.GetValue(images), side = result.GetValue(size);
            if (count < 2 || side is < DiversityRequest.MinSize or > DiversityRequest.MaxSize)
            {
                throw HybridDiffusionException.Argument(count < 2 ? SettingId.Images : SettingId.Size,
                    $"Use --images ≥ 2 and --size from {DiversityRequest.MinSize} to {DiversityRequest.MaxSize}, as diversity takes it; got {count} and {side}.");
            }
            if (result.GetValue(distinct) is int pictures && (pictures < 1 || pictures > count))
            {
                throw HybridDiffusionException.Argument(SettingId.Images, $"Use --distinct from 1 to the number of images ({count}); got {pictures}.");
            }
            var bench = DistanceBenchmark.Run(DiversityOptions.ParseMetric(result.GetValue(metric)!), count, side, result.GetValue(distinct), cancellation);
            string simd = bench.SimdOverScalar is double speedup
                ? string.Create(CultureInfo.InvariantCulture, $"; SIMD kernel ÷ scalar loop speed: {speedup:F2}×")
                : "";
            Console.WriteLine(result.GetValue(json) ? JsonSerializer.Serialize(bench, s_json) : string.Create(CultureInfo.InvariantCulture,
                $"{bench.Metric}: {bench.Images} images ({bench.Distinct} distinct) of {bench.Size}x{bench.Size}, {bench.Threads} threads\n" +
                $"  distances: {bench.Pairs} pairs in {bench.Seconds:F3} s ({bench.PairsPerSecond:F0} pairs/s)\n" +
                $"  Vendi score {bench.Vendi:F4} in {bench.VendiSeconds:F3} s\n" +
                $"  bootstrap ({bench.BootstrapResamples} resamples) in {bench.BootstrapSeconds:F3} s\n" +
                $"  peak memory {bench.PeakWorkingSetMB:F0} MB{(bench.PeakCoversRunOnly ? "" : " (the process's peak so far)")}{simd}"));
            return ExitCodes.Success;
        })));
        return command;
    }

    private static string Format(BenchmarkResult bench)
    {
        var lines = new List<string>
        {
            $"{"mode",-10} {"steps",5} {"batch",5} {"images",6} {"ms/image",9} {"images/s",9} {"peak MB",8} {"unet ms",8} {"loop/run",8} {"engine µs/step",14} {"calls",5}",
        };
        lines.AddRange(bench.Rows.Select(r => string.Create(CultureInfo.InvariantCulture,
            $"{r.Mode.ToString().ToLowerInvariant(),-10} {r.Steps,5} {r.BatchSize,5} {r.Images,6} {r.MsPerImage,9:F3} {r.ImagesPerSecond,9:F1} " +
            $"{r.PeakWorkingSetMB,8:F1} {r.UNetMsPerImage,8:F3} {r.LoopOverRun,8:F4} {r.EngineMicrosecondsPerStep,14:F1} {r.ModelCallsPerImage,5}")));
        int smallest = bench.Rows.Min(r => r.BatchSize), largest = bench.Rows.Max(r => r.BatchSize);
        if (bench.HybridOverDistilled is double ratio)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"hybrid / distilled per-image time at batch {smallest}: {ratio:F3} (medians, same run)"));
        }
        if (largest > smallest)
        {
            foreach (var mode in bench.Rows.Select(r => r.Mode).Distinct())
            {
                double gain = bench.Rows.Single(r => r.Mode == mode && r.BatchSize == largest).ImagesPerSecond
                    / bench.Rows.Single(r => r.Mode == mode && r.BatchSize == smallest).ImagesPerSecond;
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"{mode.ToString().ToLowerInvariant()} throughput, batch {largest} / batch {smallest}: {gain:F2}x"));
            }
        }
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"managed allocation per extra denoising step: {bench.AllocatedBytesPerStep:F0} bytes (noise ±{bench.AllocationNoiseBytesPerStep:F0})"));
        lines.Add(bench.PeakPerRow ? "peak MB: the process's peak resident memory during each row" : "peak MB: the process's peak so far (this OS cannot restart it per row)");
        return string.Join(Environment.NewLine, lines);
    }

    private sealed record MemoryRun(MemoryMode Mode, int Images, double PeakWorkingSetMB, double Seconds);

    private sealed record MemoryComparison(MemoryRun Concurrent, MemoryRun Sequential, double SequentialOverConcurrent);

    /// <summary>The model, size and session options both bench verbs take.</summary>
    private sealed class BenchModelOptions
    {
        private readonly ModelOptions _models = new();
        private readonly Option<DistilledPreset?> _preset = new("--preset") { Description = "The distilled family's sampler: Dmd2, Turbo, Lightning or Lcm." };
        private readonly Option<int> _size = new("--size") { Description = "Image width and height in pixels.", DefaultValueFactory = _ => GenerationRequest.Defaults.Settings.Width };

        public void AddTo(Command command)
        {
            foreach (var option in _models.All.Concat(new Option[] { _preset, _size }))
            {
                command.Options.Add(option);
            }
        }

        public GenerationRequest ToRequest(ParseResult result)
        {
            int size = result.GetValue(_size);
            // The generation's rule for a side, blamed on the option bench takes (it has no --width or --height).
            if (GenerationSettings.SideProblem(size) is string problem)
            {
                throw HybridDiffusionException.Argument(SettingId.Size, "The image side " + problem);
            }
            return _models.ApplyTo(new GenerationRequest
            {
                Prompts = new[] { "a photo of a red circle" },
                Settings = new GenerationSettings { Preset = result.GetValue(_preset), Width = size, Height = size },
            }, result);
        }
    }
}
