
namespace HybridDiffusion.Contracts.Requests;

/// <summary>What Get-HybridStudyStatus and `hybrid study status` ask for: how far a study's results folder is, per shard.</summary>
public sealed record StudyStatusRequest
{
    public required StudyDefinition Study { get; init; }

    public required string OutputDirectory { get; init; }

    /// <summary>The shards counted separately (1: the whole study).</summary>
    public int ShardCount { get; init; } = 1;

    public void Validate()
    {
        if (ShardCount < 1)
        {
            throw HybridDiffusionException.Argument(SettingId.ShardCount, $"The shard count must be at least 1; got {ShardCount}.");
        }
    }
}
