namespace HybridDiffusion.Contracts.Trajectories;

/// <summary>How fast one mode (model or plan) commits: mean distance to final against the fraction of steps done.</summary>
public sealed record CommitmentCurve(string Label, IReadOnlyList<CurvePoint> Points)
{
    /// <summary>The first fraction of steps after which the mean distance is at most <paramref name="threshold"/>.</summary>
    public double FractionToReach(double threshold) => Points.FirstOrDefault(p => p.Mean <= threshold)?.FractionDone ?? 1.0;
}
