using HybridDiffusion.Contracts.Adherence;

namespace HybridDiffusion.Analysis.Adherence;

/// <summary>The report of every prompt group, and the inputs and images that could not be judged (each with its reason).</summary>
public sealed record AdherenceOutcome(IReadOnlyList<AdherenceReport> Reports, IReadOnlyList<HybridDiffusionException> Problems)
{
    /// <summary>True when every image was judged and every group passed its gate: what a CI gate checks.</summary>
    public bool Passed => Problems.Count == 0 && Reports.All(r => r.Passed);
}
