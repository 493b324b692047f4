using HybridDiffusion.Contracts.Adherence;

namespace HybridDiffusion.Contracts.Studies;

/// <summary>One setting's prompt adherence averaged over the study's prompts (the mean of its groups' means).</summary>
public sealed record StudySettingAdherence(string Setting, AdherenceMeasure Measure, int Prompts, double MeanAdherence);
