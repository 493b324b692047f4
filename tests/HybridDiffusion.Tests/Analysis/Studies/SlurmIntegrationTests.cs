using System.Diagnostics;
using Xunit.Abstractions;
using HybridDiffusion.Analysis.Studies;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Core.Engine;
using HybridDiffusion.Demo;

namespace HybridDiffusion.Tests.Analysis.Studies;

/// <summary>
/// A study on a real one-node Slurm cluster (issue 27), through the batch scripts users submit
/// (examples/studies/slurm/): an array of 4 shards plus a merge job that depends on it, one task cancelled mid-run,
/// that task and a new merge submitted again, and the merged summary byte for byte the one-shard run's.
/// </summary>
public sealed class SlurmIntegrationTests(ITestOutputHelper output)
{
    private const int Shards = 4;
    private const int CancelledShard = 2;

    /// <summary>Enough units (1,280: 320 a shard) that a shard runs for seconds after its first record, so the cancel lands mid-run.</summary>
    private const int Prompts = 16;
    private const int Seeds = 40;

    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(10);

    private static string SlurmExamples => Path.Combine(ExternalProcess.RepositoryRoot, "examples", "studies", "slurm");

    [SlurmFact]
    public void AJobArrayWithATaskCancelledMidRunAndResubmittedMergesToTheOneShardSummary()
    {
        var clock = Stopwatch.StartNew();
        using var temp = new TempFolder();
        var study = EngineTestStudy.Write(temp.Path, Prompts, Seeds);
        var none = new Dictionary<string, string>();

        var oneShard = Stopwatch.StartNew();
        ExternalProcess.Hybrid(none, "study", "run", study, "--output", temp["single"]).Succeeded("hybrid study run (one shard)");
        output.WriteLine($"one shard: {oneShard.Elapsed.TotalSeconds:F1} s for {EngineTestStudy.Units(Prompts, Seeds)} units");
        ExternalProcess.Hybrid(none, "study", "merge", temp["single"], "--report", temp["single-report"]).Succeeded("hybrid study merge (one shard)");

        using var cluster = SlurmCluster.Start(temp["slurm"], JobEnvironment(temp["bin"]));
        var results = temp["results"];
        var report = temp["report"];
        var submitted = ExternalProcess.Run("bash", new[] { Path.Combine(SlurmExamples, "submit.sh"), study, results, report, $"{Shards}" },
            cluster.Environment, TimeSpan.FromMinutes(1), temp.Path).Succeeded("examples/studies/slurm/submit.sh").Split(' ', StringSplitOptions.TrimEntries);
        var (array, firstMerge) = (submitted[0], submitted[1]);
        var cancelled = $"{array}_{CancelledShard}";
        string Diagnostics() => $"{cluster.Logs()}\n{JobOutputs(temp.Path)}";

        // Cancel the task once it has recorded a unit (at least one shard before it has the node's cores until then).
        // Polled in the test's process: a `hybrid study status` process a poll takes seconds on a loaded two-core node,
        // long enough for the shard to finish between two polls.
        var definition = StudyFile.Read(study);
        using var statusEngine = new HybridEngine(defaultModels: DemoModels.DefaultPair); // the CLI's engine: the same default pair
        WaitUntil(() => Directory.Exists(results) && StudyStatusReader.Read(statusEngine,
                new StudyStatusRequest { Study = definition, OutputDirectory = results, ShardCount = Shards }).Shards[CancelledShard].Done >= 1,
            $"shard {CancelledShard} recorded no unit within {JobTimeout}", Diagnostics);
        cluster.Cancel(cancelled);
        Assert.True(cluster.WaitUntilEnded(cancelled, TimeSpan.FromMinutes(1)) == "CANCELLED", $"{cancelled} was not cancelled:\n{Diagnostics()}");
        var atCancel = ShardProgress.Read(study, results, Shards)[CancelledShard];
        output.WriteLine($"shard {CancelledShard} cancelled with {atCancel.Done} of {atCancel.Total} units recorded");
        Assert.True(atCancel.Done >= 1, "the cancel landed before the shard's first unit");
        Assert.True(atCancel.Done < atCancel.Total, "the cancel landed after the shard's last unit");

        // The first merge depends on every task ending well, so it can never run now: Slurm keeps it pending.
        WaitUntil(() => cluster.StateOf(firstMerge) == ("PENDING", "DependencyNeverSatisfied"),
            "the first merge job is not pending with DependencyNeverSatisfied", Diagnostics);
        cluster.Cancel(firstMerge);

        // The cancelled shard again, naming its shard (an array of one task would be shard 0 of 1), and a merge
        // that waits for it and for the tasks still pending or running.
        var rerun = cluster.Submit(temp.Path, Path.Combine(SlurmExamples, "study.sbatch"), study, results, $"{CancelledShard}/{Shards}");
        var waitFor = cluster.ActiveTasks(array).Append(rerun);
        var merge = cluster.Submit(temp.Path, $"--dependency=afterok:{string.Join(':', waitFor)}", Path.Combine(SlurmExamples, "merge.sbatch"), results, report);
        Assert.True(cluster.WaitUntilEnded(merge, JobTimeout) == "COMPLETED", $"the merge job did not complete:\n{Diagnostics()}");
        Assert.All(Enumerable.Range(0, Shards).Where(i => i != CancelledShard).Select(i => $"{array}_{i}").Append(rerun),
            job => Assert.Equal("COMPLETED", cluster.StateOf(job).State));

        Assert.True(File.ReadAllBytes(Path.Combine(temp["single-report"], "summary.json")).AsSpan()
                .SequenceEqual(File.ReadAllBytes(Path.Combine(report, "summary.json"))),
            "the summary merged from the Slurm shards differs from the one-shard run's");
        cluster.Stop();
        output.WriteLine($"Slurm integration test: {clock.Elapsed.TotalSeconds:F0} s");
    }

    /// <summary>
    /// What every job inherits: `hybrid` on the PATH as the examples call it, here a wrapper around the CLI built beside
    /// the tests, run by the same dotnet as the tests.
    /// </summary>
    private static Dictionary<string, string> JobEnvironment(string binFolder)
    {
        Directory.CreateDirectory(binFolder);
        var wrapper = Path.Combine(binFolder, "hybrid");
        var dotnet = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
        File.WriteAllText(wrapper, $"#!/bin/sh\nexec '{dotnet}' '{ExternalProcess.HybridDll}' \"$@\"\n");
        if (OperatingSystem.IsLinux())   // always, under [SlurmFact]; the check tells the platform analyzer so
        {
            File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return new Dictionary<string, string> { ["PATH"] = $"{binFolder}:{Environment.GetEnvironmentVariable("PATH")}" };
    }

    /// <summary>What the jobs wrote (the sbatch scripts' --output files), for failure messages.</summary>
    private static string JobOutputs(string folder) => string.Join('\n', Directory.GetFiles(folder, "hybrid-study*.out").Order()
        .Select(f => $"--- {Path.GetFileName(f)}\n" + string.Join('\n', File.ReadLines(f).TakeLast(10))));

    private static void WaitUntil(Func<bool> condition, string failure, Func<string> diagnostics)
    {
        var deadline = DateTime.UtcNow + JobTimeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"{failure}:\n{diagnostics()}");
            Thread.Sleep(200);
        }
    }
}
