using HybridDiffusion.Contracts.Diversity;

namespace HybridDiffusion.Contracts.Studies;

/// <summary>One prompt × setting group's FID and KID against the study's reference set, with its gates' verdict.</summary>
public sealed record StudyDistributionRow(string Prompt, string Setting, DistributionReport Distribution);
