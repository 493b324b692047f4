namespace HybridDiffusion.Analysis.Studies;

/// <summary>Where a shard's run or a merge stands.</summary>
/// <param name="Activity">What is being done ("made", "merged"), for the progress line.</param>
public sealed record StudyProgress(string Activity, long Done, long Total, string Prompt, string Setting)
{
    public int PercentComplete => Total == 0 ? 100 : (int)Math.Clamp(100 * Done / Total, 0, 100);
}
