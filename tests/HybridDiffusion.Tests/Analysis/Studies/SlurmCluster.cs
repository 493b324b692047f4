using System.Text.RegularExpressions;

namespace HybridDiffusion.Tests.Analysis.Studies;

/// <summary>
/// A one-node Slurm cluster on this machine (scripts/slurm/cluster.sh: its own munged, slurmctld and slurmd, all in one
/// folder), stopped on disposal whatever the test's outcome. Its commands run with SLURM_CONF pointing at it.
/// </summary>
internal sealed partial class SlurmCluster : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(1);
    private readonly string _folder;
    private bool _stopped;

    private SlurmCluster(string folder, IReadOnlyDictionary<string, string> environment)
    {
        _folder = folder;
        Environment = environment;
    }

    /// <summary>SLURM_CONF, and what the caller asked jobs to inherit (sbatch passes the submitter's environment on).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>Starts a cluster in a new folder; <paramref name="jobEnvironment"/> is passed on to every job.</summary>
    public static SlurmCluster Start(string folder, IReadOnlyDictionary<string, string> jobEnvironment)
    {
        var started = ClusterScript("start", folder, jobEnvironment);
        var environment = new Dictionary<string, string>(jobEnvironment) { ["SLURM_CONF"] = Path.Combine(folder, "slurm.conf") };
        var cluster = new SlurmCluster(folder, environment);
        if (started.ExitCode != 0)
        {
            cluster.Dispose();   // whatever it had started (munged, slurmctld) stops too
            Assert.Fail($"the Slurm cluster did not start:\n{started.Output}\n{started.Errors}");
        }
        return cluster;
    }

    /// <summary>Submits a batch job from <paramref name="workingDirectory"/>; returns its id.</summary>
    public string Submit(string workingDirectory, params string[] sbatchArgs) =>
        ExternalProcess.Run("sbatch", new[] { "--parsable" }.Concat(sbatchArgs), Environment, CommandTimeout, workingDirectory)
            .Succeeded("sbatch").Trim().Split(';')[0];

    public void Cancel(string jobId) => Command("scancel", jobId);

    /// <summary>A job's (or array task's) state and reason as the controller has them, e.g. (PENDING, DependencyNeverSatisfied).</summary>
    public (string State, string Reason) StateOf(string jobId)
    {
        var line = Command("scontrol", "--oneliner", "show", "job", jobId);
        return (StateField().Match(line).Groups[1].Value, ReasonField().Match(line).Groups[1].Value);
    }

    /// <summary>The tasks of a job array still pending or running, as JOB_TASK ids.</summary>
    public IReadOnlyList<string> ActiveTasks(string arrayJobId) =>
        Command("squeue", "--noheader", "--array", "--jobs", arrayJobId, "--states", "pending,running,completing", "--format", "%i")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Waits until a job has left PENDING, RUNNING and COMPLETING; returns its final state.</summary>
    public string WaitUntilEnded(string jobId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var (state, reason) = StateOf(jobId);
            if (state is not ("PENDING" or "RUNNING" or "COMPLETING" or "CONFIGURING"))
            {
                return state;
            }
            Assert.True(DateTime.UtcNow < deadline, $"job {jobId} is still {state} ({reason}) after {timeout}:\n{Logs()}");
            Thread.Sleep(500);
        }
    }

    /// <summary>The end of the controller's and the node daemon's logs, for failure messages.</summary>
    public string Logs() => string.Join('\n', new[] { "slurmctld.log", "slurmd.log" }
        .Select(name => Path.Combine(_folder, "log", name)).Where(File.Exists)
        .Select(path => $"--- {Path.GetFileName(path)}\n" + string.Join('\n', File.ReadLines(path).TakeLast(15))));

    /// <summary>Cancels the cluster's jobs and stops its daemons (once); fails the test when they would not stop.</summary>
    public void Stop()
    {
        if (_stopped)
        {
            return;
        }
        _stopped = true;
        var stopped = ClusterScript("stop", _folder, new Dictionary<string, string>());
        Assert.True(stopped.ExitCode == 0, $"the Slurm cluster did not stop:\n{stopped.Output}\n{stopped.Errors}");
    }

    /// <summary>Stops the cluster when the test has not (it failed): never throws, so the test's own failure shows.</summary>
    public void Dispose()
    {
        try
        {
            Stop();
        }
        catch (Xunit.Sdk.XunitException)
        {
        }
    }

    private string Command(string program, params string[] args) =>
        ExternalProcess.Run(program, args, Environment, CommandTimeout).Succeeded(program);

    private static ProcessResult ClusterScript(string verb, string folder, IReadOnlyDictionary<string, string> environment) =>
        ExternalProcess.Run("bash", new[] { Path.Combine(ExternalProcess.RepositoryRoot, "scripts", "slurm", "cluster.sh"), verb, folder },
            environment, TimeSpan.FromMinutes(2));

    [GeneratedRegex(@"\bJobState=(\S+)")]
    private static partial Regex StateField();

    [GeneratedRegex(@"\bReason=(\S+)")]
    private static partial Regex ReasonField();
}
