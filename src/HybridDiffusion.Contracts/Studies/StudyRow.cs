using HybridDiffusion.Contracts.Diversity;

namespace HybridDiffusion.Contracts.Studies;

/// <summary>One prompt × setting × metric: its images' mean pairwise distance with a bootstrap interval, Vendi score and ratio to the reference setting.</summary>
/// <param name="Ratio">Mean over the reference setting's mean for the same prompt and metric; null for the reference itself or a zero reference.</param>
public sealed record StudyRow(string Prompt, string Setting, DiversityMetric Metric, int Count, double Mean, double StandardDeviation,
    double ConfidenceLow, double ConfidenceHigh, double Vendi, double? Ratio);
