namespace HybridDiffusion.Contracts.Diversity;

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
