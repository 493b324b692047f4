namespace HybridDiffusion.Contracts.Trajectories;

/// <summary>The mean distance to the final image after one step position, over every run of a mode.</summary>
public sealed record CurvePoint(int StepIndex, double FractionDone, double Mean, double StandardDeviation, int Runs);

/// <summary>How fast one mode (model or plan) commits: mean distance to final against the fraction of steps done.</summary>
public sealed record CommitmentCurve(string Label, IReadOnlyList<CurvePoint> Points)
{
    /// <summary>The first fraction of steps after which the mean distance is at most <paramref name="threshold"/>.</summary>
    public double FractionToReach(double threshold) => Points.FirstOrDefault(p => p.Mean <= threshold)?.FractionDone ?? 1.0;
}

/// <summary>Per mode: the fraction of its steps it needs to come within the threshold of its final image.</summary>
/// <param name="MeanCurveFraction">From the mean curve.</param>
/// <param name="MeanRunFraction">The average over runs of each run's own fraction.</param>
public sealed record Commitment(string Label, double Threshold, double MeanCurveFraction, double MeanRunFraction, int Runs);

/// <summary>Everything a trajectory run adds up to, and the pictures written for it.</summary>
public sealed record TrajectorySummary
{
    public required IReadOnlyList<CommitmentCurve> Curves { get; init; }
    public required IReadOnlyList<Commitment> Commitments { get; init; }
    public IReadOnlyList<string> GridPaths { get; init; } = Array.Empty<string>();
    public string? ChartSvgPath { get; init; }
    public string? ChartPngPath { get; init; }
    public string? ReportPath { get; init; }
}
