namespace HybridDiffusion.Core.Parity;

/// <summary>The figures of one replayed case, in the order the run produced them.</summary>
public sealed record ReferenceReport(string Case, IReadOnlyList<ReferenceStage> Stages)
{
    public bool Passed => Stages.All(s => s.Passed);

    /// <summary>The stage that uses most of its bound.</summary>
    public ReferenceStage Worst => Stages.MaxBy(s => s.Share)!;
}
