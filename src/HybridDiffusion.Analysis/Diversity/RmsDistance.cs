namespace HybridDiffusion.Analysis.Diversity;

/// <summary>The RMS pixel difference (<see cref="PixelDistance.Rms"/>) over every pair of a group.</summary>
internal sealed class RmsDistance : IDistanceMetric
{
    public DiversityMetric Metric => DiversityMetric.Rms;

    public MeasuredDistances Compute(IReadOnlyList<UnitImage> images, IProgress<double>? progress, CancellationToken cancellation)
    {
        for (int i = 1; i < images.Count; i++)
        {
            PixelDistance.RequireSameSize(images[0], images[i]);
        }
        return new MeasuredDistances(PairScheduler.Run<object?>(images.Count, () => null, (i, j, _) => PixelDistance.Rms(images[i], images[j]), progress, cancellation));
    }
}
