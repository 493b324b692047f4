using HybridDiffusion.Contracts.Requests;

namespace HybridDiffusion.Contracts.Studies;

/// <summary>What one shard's run did: its units, those already recorded, those made now, and damaged records redone.</summary>
public sealed record StudyRunOutcome(string StudyHash, ShardSpec Shard, string Folder, long Units, long AlreadyDone, long Made, long Redone);
