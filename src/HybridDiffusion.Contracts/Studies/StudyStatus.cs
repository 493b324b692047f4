namespace HybridDiffusion.Contracts.Studies;

/// <summary>How far a results folder is: units recorded of all, overall and per shard.</summary>
public sealed record StudyStatus(string StudyHash, string Folder, long Done, long Total, IReadOnlyList<ShardStatus> Shards)
{
    public bool Complete => Done == Total;
}
