using System.Diagnostics;
using HybridDiffusion.Analysis.Diversity;
using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Diversity;
using HybridDiffusion.Core.Imaging;
using HybridDiffusion.Core.Scheduling;

namespace HybridDiffusion.Analysis.Benchmarks;

/// <summary>The figures of one distance benchmark run.</summary>
/// <param name="SimdOverScalar">Speed of the SIMD pair kernel ÷ a plain scalar loop, both single-threaded on the same pairs.</param>
public sealed record DistanceBenchmarkResult(DiversityMetric Metric, int Images, int Size, long Pairs, double Seconds, double PairsPerSecond,
    int Threads, double SimdOverScalar);

/// <summary>
/// Times a full pairwise distance matrix over synthetic images (seeded noise, so every run measures the same work), and,
/// for the RMS metric, compares its SIMD pair kernel with a scalar loop on a subset measured in the same run.
/// </summary>
public static class DistanceBenchmark
{
    private const int ScalarSubset = 48;

    public static DistanceBenchmarkResult Run(DiversityMetric metric, int images, int size, CancellationToken cancellation = default)
    {
        if (metric == DiversityMetric.Embedding)
        {
            throw HybridDiffusionException.Argument(SettingId.Metric, "The distance benchmark measures the model-free metrics (Rms, Ssim, MsSsim).");
        }
        var set = Synthetic(images, size);
        IDistanceMetric distance = metric == DiversityMetric.Rms ? new RmsDistance() : new StructuralSimilarity(metric == DiversityMetric.MsSsim);
        var watch = Stopwatch.StartNew();
        var matrix = distance.Compute(set, null, cancellation);
        double seconds = watch.Elapsed.TotalSeconds;
        double simdOverScalar = metric == DiversityMetric.Rms ? RmsKernelSpeedup(set.Take(Math.Min(ScalarSubset, images)).ToList()) : double.NaN;
        return new DistanceBenchmarkResult(metric, images, size, matrix.PairCount, seconds, matrix.PairCount / seconds,
            Environment.ProcessorCount, simdOverScalar);
    }

    private static List<UnitImage> Synthetic(int images, int size)
    {
        var noise = new GaussianNoise(1);
        return Enumerable.Range(0, images).Select(_ =>
        {
            var values = new float[size * size * 3];
            noise.Fill(values, 0.2f);
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = Math.Clamp(values[i] + 0.5f, 0f, 1f);
            }
            return new UnitImage(size, size, values);
        }).ToList();
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
