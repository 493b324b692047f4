namespace HybridDiffusion.Analysis.Studies;

/// <summary>
/// The engine call behind Get-HybridStudyStatus and `hybrid study status`: units recorded of all, overall and per
/// shard of a given count, read from the results folder without opening a model.
/// </summary>
public static class StudyStatusReader
{
    public static StudyStatus Read(HybridEngine engine, StudyStatusRequest request)
    {
        request.Validate();
        var study = StudyRunner.WithModels(engine, request.Study);
        var hash = StudyHash.Compute(study);
        var folder = Path.GetFullPath(request.OutputDirectory);
        if (Directory.Exists(folder) && StudyManifest.TryRead(folder) is { } manifest && manifest.Hash != hash)
        {
            throw StudyErrors.OtherStudy(folder, manifest.Hash, hash);
        }
        var store = new UnitRecordStore(folder, study, hash);
        var done = new long[request.ShardCount];
        var total = new long[request.ShardCount];
        foreach (var batch in StudyPlan.Batches(study))
        {
            int shard = (int)(batch.Index % request.ShardCount);
            total[shard] += batch.SeedCount;
            done[shard] += batch.Seeds.Count(seed => store.Exists(batch.PromptIndex, batch.SettingIndex, seed));
        }
        var shards = Enumerable.Range(0, request.ShardCount).Select(i => new ShardStatus(i, request.ShardCount, done[i], total[i])).ToList();
        return new StudyStatus(hash, folder, done.Sum(), total.Sum(), shards);
    }
}
