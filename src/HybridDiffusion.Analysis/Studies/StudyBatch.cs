namespace HybridDiffusion.Analysis.Studies;

/// <summary>
/// Consecutive seeds of one (prompt, setting) group that share UNet runs. Batches are cut from each group's seeds in
/// seed order with the study's batch size, so a batch, and therefore every image in it, is the same in every sharding.
/// </summary>
/// <param name="Index">The batch's place in the whole study (prompt, then setting, then seed order): shards deal them out by it.</param>
internal sealed record StudyBatch(long Index, int PromptIndex, int SettingIndex, long FirstSeed, int SeedCount)
{
    public IEnumerable<long> Seeds => Enumerable.Range(0, SeedCount).Select(i => FirstSeed + i);
}
