namespace HybridDiffusion.Analysis.Diversity;

/// <summary>Computes every pairwise distance of a set of images, all of one size.</summary>
internal interface IDistanceMetric
{
    DiversityMetric Metric { get; }

    /// <summary>Reports the fraction of pairs done (0..1) through <paramref name="progress"/>; stops on cancellation.</summary>
    MeasuredDistances Compute(IReadOnlyList<UnitImage> images, IProgress<double>? progress, CancellationToken cancellation);
}
