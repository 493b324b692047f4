using System.Diagnostics;

namespace HybridDiffusion.Tests.Support;

/// <summary>
/// A program run to its end with its output captured (the `hybrid` CLI, Slurm's commands, the cluster script, the
/// installed tool, the entry scripts). The variables that choose a study's shard are never inherited from the test's own environment
/// (a test run inside a Slurm job or a Kubernetes pod must not change what the tests ask for); a test sets them itself.
/// </summary>
internal static class ExternalProcess
{
    private static readonly string[] ShardSourceVariables =
        { "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_MAX", "SLURM_ARRAY_TASK_STEP", "SLURM_ARRAY_TASK_COUNT",
          "SLURM_ARRAY_JOB_ID", "SLURM_JOB_ID", "JOB_COMPLETION_INDEX", "HYBRIDDIFFUSION_SHARD_COUNT" };

    /// <summary>The `hybrid` CLI built beside the tests.</summary>
    public static string HybridDll => Path.Combine(AppContext.BaseDirectory, "hybrid.dll");

    public static string RepositoryRoot => CmdletMetadata.Metadata("RepositoryRoot");

    /// <summary>Runs `hybrid` with these arguments and variables.</summary>
    public static ProcessResult Hybrid(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        Run("dotnet", new[] { HybridDll }.Concat(args), environment, TimeSpan.FromMinutes(5));

    /// <summary>Runs a program; a run past the timeout is killed and fails the test.</summary>
    public static ProcessResult Run(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepositoryRoot,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var name in ShardSourceVariables)
        {
            start.Environment.Remove(name);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', start.ArgumentList)} did not end within {timeout}");
        }
        process.WaitForExit();
        return new ProcessResult(process.ExitCode, output.Result, errors.Result);
    }
}
