namespace HybridDiffusion.Analysis.Diversity.Distribution;

/// <summary>
/// The first two moments of a set of feature vectors: what FID compares, and what a reference statistics file keeps.
/// </summary>
/// <param name="Mean">The mean vector (length D).</param>
/// <param name="Covariance">The unbiased sample covariance (divided by count − 1), row-major D × D, symmetric.</param>
/// <param name="Count">How many vectors the moments were taken over.</param>
public sealed record FeatureStatistics(double[] Mean, double[] Covariance, long Count)
{
    /// <summary>The feature dimension D.</summary>
    public int Dimension => Mean.Length;

    /// <summary>Checks that the arrays have the shapes the dimension implies and hold finite numbers.</summary>
    internal void RequireConsistent(string what)
    {
        if (Covariance.Length != (long)Dimension * Dimension)
        {
            throw new ArgumentException($"The {what} covariance has {Covariance.Length} elements; a {Dimension}-feature one has {(long)Dimension * Dimension}.");
        }
        if (!Array.TrueForAll(Mean, double.IsFinite) || !Array.TrueForAll(Covariance, double.IsFinite))
        {
            // Finite features whose squares overflow: the model's, not the caller's, so the user is told.
            throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
                $"The {what} features' mean or covariance is not a finite number: the embedding model's features are too large to measure.");
        }
    }
}
