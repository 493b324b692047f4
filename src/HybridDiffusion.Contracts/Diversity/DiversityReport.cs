namespace HybridDiffusion.Contracts.Diversity;

/// <summary>The sample diversity of one group of images under one metric.</summary>
public sealed record DiversityReport
{
    public required string Group { get; init; }
    public required DiversityMetric Metric { get; init; }
    public required int Count { get; init; }

    /// <summary>Mean pairwise distance: the sample diversity.</summary>
    public required double Mean { get; init; }

    /// <summary>Standard deviation of the pairwise distances.</summary>
    public required double StandardDeviation { get; init; }
    public required double ConfidenceLow { get; init; }
    public required double ConfidenceHigh { get; init; }
    public required double ConfidenceLevel { get; init; }

    /// <summary>Effective number of distinct images (1 … Count).</summary>
    public required double Vendi { get; init; }
    public required ImagePair ClosestPair { get; init; }

    /// <summary>The images in matrix order.</summary>
    public required IReadOnlyList<string> Labels { get; init; }

    /// <summary>Present when requested (IncludeMatrix).</summary>
    public DistanceMatrix? Matrix { get; init; }

    public double? MinimumDistance { get; init; }
    public double? MinimumVendi { get; init; }

    /// <summary>Why the group failed the gate; empty when it passed.</summary>
    public IReadOnlyList<string> Failures { get; init; } = Array.Empty<string>();

    public bool Passed => Failures.Count == 0;

    public DiversityComparison? Comparison { get; init; }

    public string? ContactSheetPath { get; init; }

    public string? HeatmapPath { get; init; }
}
