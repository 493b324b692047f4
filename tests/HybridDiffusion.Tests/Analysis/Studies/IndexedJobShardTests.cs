namespace HybridDiffusion.Tests.Analysis.Studies;

/// <summary>
/// The Kubernetes Indexed Job contract (examples/studies/kubernetes/study.yaml): a pod's shard index comes from
/// JOB_COMPLETION_INDEX and the count from HYBRIDDIFFUSION_SHARD_COUNT; an explicit --shard wins over any environment.
/// </summary>
public sealed class IndexedJobShardTests
{
    private const int Prompts = 2;
    private const int Seeds = 4;

    [Fact]
    public void APodRunsTheShardOfItsCompletionIndexAndSaysWhereItCameFrom()
    {
        using var temp = new TempFolder();
        var study = EngineTestStudy.Write(temp.Path, Prompts, Seeds);
        var run = ExternalProcess.Hybrid(new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "1", ["HYBRIDDIFFUSION_SHARD_COUNT"] = "2" },
            "study", "run", study, "--output", temp["results"]);
        run.Succeeded("hybrid study run in an Indexed Job's pod");
        Assert.Contains("JOB_COMPLETION_INDEX", run.Errors);

        var shards = ShardProgress.Read(study, temp["results"], 2);
        Assert.Equal(0, shards[0].Done);
        Assert.Equal(shards[1].Total, shards[1].Done);
        Assert.Equal(EngineTestStudy.Units(Prompts, Seeds), shards[0].Total + shards[1].Total);
    }

    [Fact]
    public void TheShardOptionWinsOverTheIndexedJobAndSlurmVariables()
    {
        using var temp = new TempFolder();
        var study = EngineTestStudy.Write(temp.Path, Prompts, Seeds);
        var environment = new Dictionary<string, string>
        {
            ["JOB_COMPLETION_INDEX"] = "1", ["HYBRIDDIFFUSION_SHARD_COUNT"] = "2",
            ["SLURM_ARRAY_TASK_ID"] = "1", ["SLURM_ARRAY_TASK_MIN"] = "0", ["SLURM_ARRAY_TASK_COUNT"] = "2",
        };
        ExternalProcess.Hybrid(environment, "study", "run", study, "--output", temp["results"], "--shard", "0/2").Succeeded("hybrid study run --shard 0/2");

        var shards = ShardProgress.Read(study, temp["results"], 2);
        Assert.Equal(shards[0].Total, shards[0].Done);
        Assert.Equal(0, shards[1].Done);
    }
}
