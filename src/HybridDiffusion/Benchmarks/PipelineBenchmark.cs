using HybridDiffusion.Sampling;

namespace HybridDiffusion.Benchmarks;

/// <summary>Per-mode timing of one benchmark run.</summary>
public sealed record ModeTiming(GenerationMode Mode, int Steps, int Images, double MedianImageMs, double MedianUNetMs, double EngineMicrosecondsPerStep);

/// <summary>The figures of one benchmark run; ratios compare modes measured in the same run.</summary>
/// <param name="AllocatedBytesPerStep">Managed bytes allocated per image per denoising step (8- vs 4-step distilled runs).</param>
public sealed record BenchmarkResult(IReadOnlyList<ModeTiming> Modes, double HybridOverDistilled, double AllocatedBytesPerStep);

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
        return new BenchmarkResult(timings, ratio, AllocatedPerStep(template, Math.Max(50, images / 4), cancellation));
    }

    // Managed bytes per image-step: the per-image allocation of 4-step and 8-step runs, each measured inside one
    // request after two warm images (so sessions, bindings and plans are in place). Zero means the denoising loop
    // allocates nothing per step, however many steps a plan has.
    private static double AllocatedPerStep(GenerationRequest template, int images, CancellationToken cancellation)
    {
        double PerImage(int steps)
        {
            var request = template with
            {
                Modes = new[] { GenerationMode.Distilled },
                Seeds = Enumerable.Range(0, images + 2).Select(i => (long)i).ToArray(),
                Settings = template.Settings with { Steps = steps },
                OutputDirectory = null,
            };
            using var run = HybridGenerator.Generate(request, cancellation: cancellation).GetEnumerator();
            run.MoveNext();
            run.MoveNext();
            long before = GC.GetAllocatedBytesForCurrentThread();
            while (run.MoveNext())
            {
            }
            return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)images;
        }
        return (PerImage(8) - PerImage(4)) / 4;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
