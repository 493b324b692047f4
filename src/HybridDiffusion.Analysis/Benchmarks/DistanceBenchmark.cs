using System.Diagnostics;
using HybridDiffusion.Analysis.Diversity;
using HybridDiffusion.Core.Scheduling;

namespace HybridDiffusion.Analysis.Benchmarks;

/// <summary>
/// Times what `hybrid diversity` does with one group, step by step: the full pairwise distance matrix over synthetic
/// images (seeded noise, so every run measures the same work; optionally only a few distinct pictures, each repeated,
/// as a collapsed model makes them), its Vendi score and its bootstrap interval; and, for the RMS metric, compares its
/// SIMD pair kernel with a scalar loop on a subset measured in the same run.
/// </summary>
public static class DistanceBenchmark
{
    private const int ScalarSubset = 48;

    public static DistanceBenchmarkResult Run(DiversityMetric metric, int images, int size, int? distinct = null, CancellationToken cancellation = default)
    {
        if (metric == DiversityMetric.Embedding)
        {
            throw HybridDiffusionException.Argument(SettingId.Metric, "The distance benchmark measures the model-free metrics (Rms, Ssim, MsSsim).");
        }
        int pictures = Math.Clamp(distinct ?? images, 1, images);
        bool peakCoversRunOnly = ProcessMemory.TryResetPeak();
        var set = Synthetic(images, pictures, size);
        IDistanceMetric distance = metric == DiversityMetric.Rms ? new RmsDistance() : new StructuralSimilarity(metric == DiversityMetric.MsSsim);
        var watch = Stopwatch.StartNew();
        var measured = IdenticalImages.Measure(distance, set, null, cancellation);
        double seconds = watch.Elapsed.TotalSeconds;
        watch.Restart();
        double vendi = measured.VendiScore();
        double vendiSeconds = watch.Elapsed.TotalSeconds;
        int resamples = DiversityRequest.Defaults.BootstrapResamples;
        watch.Restart();
        BootstrapInterval.MeanPairwise(measured.Matrix, resamples, DiversityRequest.Defaults.BootstrapSeed);
        double bootstrapSeconds = watch.Elapsed.TotalSeconds;
        double peakMB = ProcessMemory.PeakWorkingSetBytes() / 1048576.0;
        double? simdOverScalar = metric == DiversityMetric.Rms ? RmsKernelSpeedup(set.Take(Math.Min(ScalarSubset, images)).ToList()) : null;
        long pairs = measured.Matrix.PairCount;
        return new DistanceBenchmarkResult(metric, images, pictures, size, pairs, seconds, pairs / seconds, vendiSeconds, vendi,
            bootstrapSeconds, resamples, peakMB, peakCoversRunOnly, Environment.ProcessorCount, simdOverScalar);
    }

    // `distinct` pictures of seeded noise, repeated in turn until the set holds `images` (the same objects, as a set
    // of identical files decodes to equal pixels).
    private static List<UnitImage> Synthetic(int images, int distinct, int size)
    {
        var noise = new GaussianNoise(1);
        var pictures = Enumerable.Range(0, distinct).Select(_ =>
        {
            var values = new float[size * size * 3];
            noise.Fill(values, 0.2f);
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = Math.Clamp(values[i] + 0.5f, 0f, 1f);
            }
            return new UnitImage(size, size, values);
        }).ToList();
        return Enumerable.Range(0, images).Select(i => pictures[i % distinct]).ToList();
    }

    private static double RmsKernelSpeedup(List<UnitImage> subset)
    {
        double checksum = 0;
        var simd = Stopwatch.StartNew();
        foreach (var (a, b) in AllPairs(subset))
        {
            checksum += PixelDistance.Rms(a, b);
        }
        double simdSeconds = simd.Elapsed.TotalSeconds;
        var scalar = Stopwatch.StartNew();
        foreach (var (a, b) in AllPairs(subset))
        {
            checksum -= ScalarRms(a.Values, b.Values);
        }
        double scalarSeconds = scalar.Elapsed.TotalSeconds;
        // Both loops compute the same distances; a mismatch would make the comparison meaningless.
        if (Math.Abs(checksum) > 1e-3)
        {
            throw new InvalidOperationException($"SIMD and scalar RMS disagree by {checksum}.");
        }
        return scalarSeconds / simdSeconds;
    }

    private static IEnumerable<(UnitImage, UnitImage)> AllPairs(List<UnitImage> images)
    {
        for (int i = 0; i < images.Count; i++)
        {
            for (int j = i + 1; j < images.Count; j++)
            {
                yield return (images[i], images[j]);
            }
        }
    }

    // The baseline the SIMD kernel is measured against: one element at a time.
    private static double ScalarRms(float[] a, float[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = a[i] - b[i];
            sum += d * d;
        }
        return Math.Sqrt(sum / a.Length);
    }
}
