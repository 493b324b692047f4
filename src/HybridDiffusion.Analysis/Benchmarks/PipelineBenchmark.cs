namespace HybridDiffusion.Analysis.Benchmarks;

/// <summary>
/// Times base, distilled, hybrid and skip-first generation at several batch sizes on one model pair. Rows are
/// interleaved round by round, so machine noise affects them alike; in each request the first batch (which creates
/// the bindings) is not measured.
/// </summary>
public static class PipelineBenchmark
{
    public static IReadOnlyList<GenerationMode> Modes { get; } = new[] { GenerationMode.Base, GenerationMode.Distilled, GenerationMode.Hybrid, GenerationMode.SkipFirst };

    /// <param name="engine">The engine that generates; its sessions stay loaded from row to row, as a face's would.</param>
    /// <param name="images">Measured images per row (rounded up to whole batches).</param>
    /// <param name="rounds">Rounds the measured batches are spread over, after one unmeasured warm-up round.</param>
    /// <param name="modes">Modes to measure, from <see cref="Modes"/>; hybrid and distilled are needed for the ratio.</param>
    public static BenchmarkResult Run(HybridEngine engine, GenerationRequest template, IReadOnlyList<GenerationMode> modes, IReadOnlyList<int> batchSizes,
        int images, int rounds, IProgress<string>? progress = null, CancellationToken cancellation = default)
    {
        var rows = modes.SelectMany(mode => batchSizes.Select(batch => (Mode: mode, Batch: batch))).ToArray();
        var samples = rows.ToDictionary(r => r, _ => new List<GeneratedImage>());
        var peaks = rows.ToDictionary(r => r, _ => 0L);
        bool peakPerRow = true;
        long seed = 0;
        for (int round = 0; round <= rounds; round++)
        {
            foreach (var row in rows)
            {
                // A row's measured batches are spread evenly over the rounds (a large batch may skip some).
                int total = (int)Math.Ceiling(images / (double)row.Batch);
                int batches = round == 0 ? 1 : total * round / rounds - total * (round - 1) / rounds;
                if (batches == 0)
                {
                    continue;
                }
                var request = template with
                {
                    Modes = new[] { row.Mode },
                    Seeds = Enumerable.Range(0, row.Batch * (batches + 1)).Select(_ => seed++).ToArray(),
                    BatchSize = row.Batch,
                    MemoryMode = MemoryMode.Concurrent,
                    OutputDirectory = null,
                };
                progress?.Report($"round {round}/{rounds}: {row.Mode} at batch {row.Batch}");
                peakPerRow &= ProcessMemory.TryResetPeak();
                var made = engine.Generate(request, cancellation: cancellation).ToList();
                peaks[row] = Math.Max(peaks[row], ProcessMemory.PeakWorkingSetBytes());
                if (round > 0)
                {
                    samples[row].AddRange(made.Skip(row.Batch));
                }
            }
        }
        var result = rows.Select(row =>
        {
            var measured = samples[row];
            double ms = Median(measured.Select(i => i.ElapsedMs));
            return new BenchmarkRow(row.Mode, row.Batch, measured[0].Steps, measured.Count, ms, 1000 / ms, peaks[row] / 1048576.0,
                Median(measured.Select(i => i.UNetMs)), measured.Sum(i => i.DenoiseMs) / measured.Sum(i => i.UNetMs),
                Median(measured.Select(i => (i.DenoiseMs - i.UNetMs) * 1000.0 / i.Steps)), measured[0].ModelCalls);
        }).ToArray();
        int smallest = batchSizes.Min();
        double? ratio = modes.Contains(GenerationMode.Hybrid) && modes.Contains(GenerationMode.Distilled)
            ? result.Single(r => r.Mode == GenerationMode.Hybrid && r.BatchSize == smallest).MsPerImage
                / result.Single(r => r.Mode == GenerationMode.Distilled && r.BatchSize == smallest).MsPerImage
            : null;
        var (perStep, noise) = AllocatedPerStep(engine, template, Math.Max(50, images / 4), cancellation);
        return new BenchmarkResult(result, ratio, perStep, noise, peakPerRow);
    }

    // Managed bytes per image-step: the per-image allocation of 4-step and 8-step runs, each measured inside one
    // request after two warm images (so sessions, bindings and plans are in place), after one unmeasured request of
    // each (so one-time initialisation is not counted). Zero means the denoising loop allocates nothing per step,
    // however many steps a plan has. The 4-step run is measured twice: how far the two differ is the figure's noise.
    private static (double BytesPerStep, double Noise) AllocatedPerStep(HybridEngine engine, GenerationRequest template, int images, CancellationToken cancellation)
    {
        double PerImage(int steps, int images)
        {
            var request = template with
            {
                Modes = new[] { GenerationMode.Distilled },
                Seeds = Enumerable.Range(0, images + 2).Select(i => (long)i).ToArray(),
                // Without a preset, whose fixed timesteps would refuse 8 steps.
                Settings = template.Settings with { Steps = steps, Preset = null },
                BatchSize = 1,
                OutputDirectory = null,
            };
            using var run = engine.Generate(request, cancellation: cancellation).GetEnumerator();
            run.MoveNext();
            run.MoveNext();
            long before = GC.GetAllocatedBytesForCurrentThread();
            while (run.MoveNext())
            {
            }
            return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)images;
        }
        PerImage(4, 1);
        PerImage(8, 1);
        double four = PerImage(4, images), eight = PerImage(8, images), fourAgain = PerImage(4, images);
        double perStep = (eight - (four + fourAgain) / 2) / 4;
        return (Math.Max(0, perStep), Math.Max(Math.Abs(fourAgain - four) / 4, -perStep));
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
