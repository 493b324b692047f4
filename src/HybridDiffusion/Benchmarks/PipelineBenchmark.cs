using HybridDiffusion.Sampling;

namespace HybridDiffusion.Benchmarks;

/// <summary>Per-mode timing of one benchmark run.</summary>
public sealed record ModeTiming(GenerationMode Mode, int Steps, int Images, double MedianImageMs, double MedianUNetMs, double EngineMicrosecondsPerStep);

/// <summary>The figures of one benchmark run; ratios compare modes measured in the same run.</summary>
public sealed record BenchmarkResult(IReadOnlyList<ModeTiming> Modes, double HybridOverDistilled);

/// <summary>
/// Times hybrid, distilled, skip-first and base generation on one model pair. Modes are interleaved image by image,
/// so machine noise affects them alike; the engine's own time per step is the denoising loop's wall time minus its
/// UNet session.Run time, divided by the steps.
/// </summary>
public static class PipelineBenchmark
{
    public static BenchmarkResult Run(GenerationRequest template, int images, int warmup, CancellationToken cancellation = default)
    {
        var modes = new[] { GenerationMode.Hybrid, GenerationMode.Distilled, GenerationMode.SkipFirst, GenerationMode.Base };
        var samples = modes.ToDictionary(m => m, _ => new List<GeneratedImage>());
        for (int round = 0; round < warmup + images; round++)
        {
            foreach (var mode in modes)
            {
                var request = template with { Modes = new[] { mode }, Seeds = new long[] { round }, OutputDirectory = null };
                var image = HybridGenerator.Generate(request, cancellation: cancellation).Single();
                if (round >= warmup)
                {
                    samples[mode].Add(image);
                }
            }
        }
        var timings = modes.Select(m => new ModeTiming(
            m,
            samples[m][0].Steps,
            images,
            Median(samples[m].Select(i => i.ElapsedMs)),
            Median(samples[m].Select(i => i.UNetMs)),
            Median(samples[m].Select(i => (i.DenoiseMs - i.UNetMs) * 1000.0 / i.Steps)))).ToArray();
        double ratio = timings.First(t => t.Mode == GenerationMode.Hybrid).MedianImageMs
            / timings.First(t => t.Mode == GenerationMode.Distilled).MedianImageMs;
        return new BenchmarkResult(timings, ratio);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
