namespace HybridDiffusion.Contracts.Diversity;

/// <summary>Two images of a group and their distance.</summary>
public sealed record ImagePair(string First, string Second, double Distance);

/// <summary>How a group compares with the reference group under the same metric.</summary>
/// <param name="Ratio">This group's mean ÷ the reference's; null when the reference's images are all identical (mean 0).</param>
public sealed record DiversityComparison(string ReferenceGroup, double ReferenceMean, double? Ratio, bool Separated)
{
    /// <summary>Ratio of means (this ÷ reference) and whether the two bootstrap intervals do not overlap.</summary>
    public static DiversityComparison Between(DiversityReport report, DiversityReport reference) => new(
        reference.Group,
        reference.Mean,
        reference.Mean > 0 ? report.Mean / reference.Mean : null,
        report.ConfidenceHigh < reference.ConfidenceLow || report.ConfidenceLow > reference.ConfidenceHigh);
}

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
