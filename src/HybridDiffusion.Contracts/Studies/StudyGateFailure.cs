using HybridDiffusion.Contracts.Diversity;

namespace HybridDiffusion.Contracts.Studies;

/// <summary>A prompt × setting × metric whose mean pairwise distance fell below (1 − max drop) of the baseline's, intervals apart.</summary>
public sealed record StudyGateFailure(string Prompt, string Setting, DiversityMetric Metric, double Baseline, double Current, double Ratio,
    double BaselineLow, double BaselineHigh, double CurrentLow, double CurrentHigh)
{
    public string Message => FormattableString.Invariant(
        $"'{Setting}' on \"{Prompt}\" ({Metric}): mean pairwise distance {Current:F4} is {Ratio:P1} of the baseline's {Baseline:F4} (95% intervals [{CurrentLow:F4}, {CurrentHigh:F4}] and [{BaselineLow:F4}, {BaselineHigh:F4}] do not overlap).");
}
