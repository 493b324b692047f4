namespace HybridDiffusion.Contracts.Diversity;

/// <summary>
/// How far one group's images are, as a distribution, from a reference set's: FID (Fréchet distance of Gaussians fitted
/// to the embeddings) and KID (unbiased MMD² with the cubic polynomial kernel, averaged over subsets).
/// </summary>
public sealed record DistributionReport
{
    public required string Group { get; init; }

    public required int Count { get; init; }

    /// <summary>Where the reference came from, in words (its files, or the statistics file and what it was made from).</summary>
    public required string Reference { get; init; }

    public required long ReferenceCount { get; init; }

    /// <summary>The length of the embedding vectors compared (FID needs more images than this in each set).</summary>
    public required int Dimension { get; init; }

    /// <summary>Null when it could not be computed (too few images for a full-rank covariance: the outcome's problems say why).</summary>
    public double? Fid { get; init; }

    /// <summary>Null when the reference is saved statistics, which keep no features for KID.</summary>
    public double? Kid { get; init; }

    /// <summary>The standard deviation of KID over its subsets.</summary>
    public double? KidStandardDeviation { get; init; }

    public int KidSubsets { get; init; }

    public int KidSubsetSize { get; init; }

    public double? MaximumFid { get; init; }

    public double? MaximumKid { get; init; }

    /// <summary>Why the group failed a gate; empty when it passed.</summary>
    public IReadOnlyList<string> Failures { get; init; } = Array.Empty<string>();

    public bool Passed => Failures.Count == 0;
}
