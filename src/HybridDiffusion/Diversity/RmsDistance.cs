using System.Numerics.Tensors;
using HybridDiffusion.Imaging;

namespace HybridDiffusion.Diversity;

/// <summary>RMS pixel difference: ‖a − b‖ / √(3·width·height), with SIMD distance kernels.</summary>
public sealed class RmsDistance : IDistanceMetric
{
    public DiversityMetric Metric => DiversityMetric.Rms;

    public static double Between(UnitImage a, UnitImage b)
    {
        SameSize(a, b);
        return TensorPrimitives.Distance<float>(a.Values, b.Values) / Math.Sqrt(a.Values.Length);
    }

    public DistanceMatrix Compute(IReadOnlyList<UnitImage> images, IProgress<double>? progress, CancellationToken cancellation)
    {
        for (int i = 1; i < images.Count; i++)
        {
            SameSize(images[0], images[i]);
        }
        return PairScheduler.Run<object?>(images.Count, () => null, (i, j, _) => Between(images[i], images[j]), progress, cancellation);
    }

    internal static void SameSize(UnitImage a, UnitImage b)
    {
        if (a.Width != b.Width || a.Height != b.Height)
        {
            throw new ArgumentException($"Images differ in size ({a.Width}x{a.Height} vs {b.Width}x{b.Height}); resize them to one size first.");
        }
    }
}
