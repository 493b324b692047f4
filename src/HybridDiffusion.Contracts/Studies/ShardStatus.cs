namespace HybridDiffusion.Contracts.Studies;

/// <summary>One shard's units recorded of its own.</summary>
public sealed record ShardStatus(int Index, int Count, long Done, long Total);
