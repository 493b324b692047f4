namespace HybridDiffusion.Analysis.Studies;

/// <summary>The study's units as batches, and which of them a shard runs (every Count-th batch from its index).</summary>
internal static class StudyPlan
{
    public static long UnitCount(StudyDefinition study) => (long)study.Prompts.Count * study.Settings.Count * study.SeedCount;

    /// <summary>Every batch of the study in order: prompt by prompt, setting by setting, seeds ascending.</summary>
    public static IEnumerable<StudyBatch> Batches(StudyDefinition study)
    {
        long index = 0;
        for (int p = 0; p < study.Prompts.Count; p++)
        {
            for (int s = 0; s < study.Settings.Count; s++)
            {
                for (int offset = 0; offset < study.SeedCount; offset += study.BatchSize)
                {
                    yield return new StudyBatch(index++, p, s, study.SeedStart + offset, Math.Min(study.BatchSize, study.SeedCount - offset));
                }
            }
        }
    }

    public static IEnumerable<StudyBatch> Batches(StudyDefinition study, ShardSpec shard) =>
        Batches(study).Where(b => b.Index % shard.Count == shard.Index);
}
