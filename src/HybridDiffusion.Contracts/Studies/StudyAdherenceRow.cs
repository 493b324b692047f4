using HybridDiffusion.Contracts.Adherence;

namespace HybridDiffusion.Contracts.Studies;

/// <summary>
/// One prompt × setting group's prompt adherence, with its gate's verdict: the adherence verb's report of the group's
/// images judged against the study's prompt (without the images' own judgements, which a summary does not keep).
/// </summary>
public sealed record StudyAdherenceRow(string Prompt, string Setting, AdherenceReport Adherence);
