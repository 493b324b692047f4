namespace HybridDiffusion.Analysis.Diversity;

/// <summary>The reports of every measured group, and the groups that could not be measured (each with its reason).</summary>
public sealed record DiversityOutcome(IReadOnlyList<DiversityReport> Reports, IReadOnlyList<HybridDiffusionException> Problems)
{
    /// <summary>Each measured group's FID and KID against the reference set; empty when no reference was named.</summary>
    public IReadOnlyList<DistributionReport> Distributions { get; init; } = Array.Empty<DistributionReport>();

    /// <summary>Each measured group's Inception Score; empty when no classifier was named.</summary>
    public IReadOnlyList<InceptionScoreReport> InceptionScores { get; init; } = Array.Empty<InceptionScoreReport>();

    /// <summary>Per prompt, each non-base set's variance along the base set's top directions; empty when none were asked for.</summary>
    public IReadOnlyList<DirectionsReport> Directions { get; init; } = Array.Empty<DirectionsReport>();

    /// <summary>True when every group was measured and passed its thresholds: what a CI gate checks.</summary>
    public bool Passed => Problems.Count == 0 && Reports.All(r => r.Passed) && Distributions.All(d => d.Passed);
}
