namespace HybridDiffusion.Analysis.Diversity;

/// <summary>Where a measurement stands: which group and metric, and how far through all of them.</summary>
public sealed record DiversityProgress(string Group, DiversityMetric Metric, int TaskIndex, int TaskCount, double TaskFraction)
{
    public int PercentComplete => (int)Math.Clamp(100 * (TaskIndex + TaskFraction) / Math.Max(1, TaskCount), 0, 100);
}
