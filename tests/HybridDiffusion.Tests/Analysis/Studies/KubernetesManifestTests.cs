namespace HybridDiffusion.Tests.Analysis.Studies;

/// <summary>
/// examples/studies/kubernetes/ run as Kubernetes would run it, one pod at a time: every index of the Indexed Job with
/// the container's own command, arguments and variables (its volumes mapped onto folders here), then the merge Job;
/// the merged summary must be the one-shard run's. Kubernetes itself cannot run on this machine.
/// </summary>
public sealed class KubernetesManifestTests
{
    private const int Prompts = 2;
    private const int Seeds = 4;

    private static string Manifests => Path.Combine(ExternalProcess.RepositoryRoot, "examples", "studies", "kubernetes");

    [Fact]
    public void TheIndexedJobsPodsAndTheMergeJobMakeTheOneShardSummary()
    {
        using var temp = new TempFolder();
        var study = EngineTestStudy.Write(temp.Path, Prompts, Seeds);
        var none = new Dictionary<string, string>();
        ExternalProcess.Hybrid(none, "study", "run", study, "--output", temp["single"]).Succeeded("hybrid study run (one shard)");
        ExternalProcess.Hybrid(none, "study", "merge", temp["single"], "--report", temp["single-report"]).Succeeded("hybrid study merge (one shard)");

        var shards = KubernetesJob.Read(Path.Combine(Manifests, "study.yaml"));
        var merge = KubernetesJob.Read(Path.Combine(Manifests, "merge.yaml"));
        Assert.Equal("Indexed", shards.CompletionMode);
        Assert.Equal(shards.Completions, shards.Parallelism);
        Assert.Equal($"{shards.Completions}", shards.Environment["HYBRIDDIFFUSION_SHARD_COUNT"]);

        // The volumes as folders: the ConfigMap's study.json, and the results volume both Jobs mount.
        var volumes = new Dictionary<string, string> { ["study"] = temp["volume-study"], ["results"] = temp["volume-results"] };
        Directory.CreateDirectory(volumes["study"]);
        File.Copy(study, Path.Combine(volumes["study"], "study.json"));
        for (int index = 0; index < shards.Completions; index++)
        {
            var pod = Run(shards, volumes, new Dictionary<string, string>(shards.Environment) { ["JOB_COMPLETION_INDEX"] = $"{index}" });
            Assert.Contains($"shard {index}/{shards.Completions} from the Kubernetes Indexed Job", pod.Errors);
        }
        Run(merge, volumes, merge.Environment);

        var report = Path.Combine(volumes["results"], "report", "summary.json");
        Assert.True(File.ReadAllBytes(Path.Combine(temp["single-report"], "summary.json")).AsSpan().SequenceEqual(File.ReadAllBytes(report)),
            "the summary merged from the Indexed Job's pods differs from the one-shard run's");
    }

    /// <summary>Runs a Job's container command (`hybrid ...`) with its mount paths mapped onto <paramref name="volumes"/>.</summary>
    private static ProcessResult Run(KubernetesJob job, Dictionary<string, string> volumes, IReadOnlyDictionary<string, string> environment)
    {
        Assert.Equal("hybrid", job.Command[0]);
        var args = job.Command.Skip(1).Select(arg => job.Mounts.Aggregate(arg, (a, mount) =>
            a.StartsWith(mount.Value + "/", StringComparison.Ordinal) ? volumes[mount.Key] + a[mount.Value.Length..] : a)).ToArray();
        var result = ExternalProcess.Hybrid(environment, args);
        result.Succeeded($"the {job.Name} Job's container");
        return result;
    }
}
