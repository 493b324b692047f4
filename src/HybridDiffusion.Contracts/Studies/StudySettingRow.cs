using HybridDiffusion.Contracts.Diversity;
using HybridDiffusion.Contracts.Sampling;

namespace HybridDiffusion.Contracts.Studies;

/// <summary>One setting × metric averaged over the study's prompts (a line of the paper's Table 2), with the values its sweep gave it.</summary>
public sealed record StudySettingRow(string Setting, string Family, GenerationMode Mode, IReadOnlyList<KeyValuePair<string, double>> Swept,
    DiversityMetric Metric, int Prompts, double MeanDistance, double MeanVendi, double? MeanRatio);
