
namespace HybridDiffusion.Contracts.Requests;

/// <summary>What Invoke-HybridStudy and `hybrid study run` ask for: one shard of a study, into a results folder.</summary>
public sealed record StudyRunRequest
{
    public required StudyDefinition Study { get; init; }

    /// <summary>The results folder; many shards may write into it at once (a shared filesystem).</summary>
    public required string OutputDirectory { get; init; }

    public ShardSpec Shard { get; init; } = ShardSpec.Whole;
}
