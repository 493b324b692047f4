namespace HybridDiffusion.Analysis.Diversity.Distribution;

/// <summary>The one check of a set of feature vectors held whole (KID, variation directions): enough of them, one length, finite.</summary>
internal static class FeatureSets
{
    /// <summary>The feature dimension of <paramref name="set"/>: at least two vectors, all of length <paramref name="dimension"/> when it is given (≥ 0).</summary>
    /// <param name="what">The set in words ("reference").</param>
    /// <param name="metric">What needs the set, for messages ("KID").</param>
    public static int Dimension(IReadOnlyList<float[]> set, string what, string metric, int dimension = -1)
    {
        if (set.Count < 2)
        {
            throw new HybridDiffusionException(HybridErrorKind.InvalidArgument, set.Count == 0
                ? $"The {what} set is empty: {metric} needs at least two images in it."
                : $"The {what} set has one image: {metric} needs at least two.");
        }
        int d = dimension < 0 ? set[0].Length : dimension;
        foreach (var vector in set)
        {
            if (vector.Length != d)
            {
                throw new HybridDiffusionException(HybridErrorKind.InvalidArgument,
                    $"The {what} features have {vector.Length} values where {d} were expected: embed every set with one model.");
            }
            if (!Array.TrueForAll(vector, float.IsFinite))
            {
                throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
                    $"A {what} feature vector holds a value that is not a finite number: the embedding model gave NaN or infinity.");
            }
        }
        return d;
    }
}
