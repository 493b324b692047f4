namespace HybridDiffusion.Contracts.Trajectories;

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
