using HybridDiffusion.Contracts.Diversity;
using HybridDiffusion.Core;

namespace HybridDiffusion.Analysis.Diversity;

/// <summary>Where a measurement stands: which group and metric, and how far through all of them.</summary>
public sealed record DiversityProgress(string Group, DiversityMetric Metric, int TaskIndex, int TaskCount, double TaskFraction)
{
    public int PercentComplete => (int)Math.Clamp(100 * (TaskIndex + TaskFraction) / Math.Max(1, TaskCount), 0, 100);
}

/// <summary>What a face of the engine hears while diversity is measured. Called on the calling thread.</summary>
public interface IDiversityObserver : IEngineLog
{
    void OnProgress(DiversityProgress progress);

    /// <summary>Asked before each picture is written (PowerShell's ShouldProcess); false skips it.</summary>
    bool ShouldWriteFile(string path);
}
