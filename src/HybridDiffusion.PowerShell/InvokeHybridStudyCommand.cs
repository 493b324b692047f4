using HybridDiffusion.Contracts.Studies;

namespace HybridDiffusion.PowerShell;

/// <summary>
/// Invoke-HybridStudy: makes the units of one shard of a study that its results folder does not hold yet; a shard
/// stopped (Ctrl+C, a killed job) and started again makes exactly the rest.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "HybridStudy", SupportsShouldProcess = true)]
[OutputType(typeof(StudyRunOutcome))]
public sealed class InvokeHybridStudyCommand : StudyFolderCmdlet
{
    /// <summary>The shard, I/N with I from 0; without it a Slurm array or Kubernetes index in the environment, else the whole study.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Shard { get; set; }

    /// <summary>Shard count for a Kubernetes Indexed Job's JOB_COMPLETION_INDEX.</summary>
    [Parameter]
    public int ShardCount { get; set; }

    protected override void EndProcessing()
    {
        var observer = new PowerShellObserver(this, "Invoke-HybridStudy");
        // Stopped, every recorded unit is whole; the next run makes the rest.
        Run(() =>
        {
            var (shard, source) = ShardSelection.Resolve(Shard, Bound(nameof(ShardCount)) ? ShardCount : null,
                Environment.GetEnvironmentVariables());
            var study = ReadStudy();
            var folder = ResultsFolder;
            WriteVerbose($"Study shard: {source}.");
            if (!ShouldProcess(folder, $"Run shard {shard} of study '{study.Name}'"))
            {
                return;
            }
            WriteObject(StudyRunner.Run(SharedEngine.Instance, new StudyRunRequest { Study = study, OutputDirectory = folder, Shard = shard }, observer, StopToken));
        }, observer);
    }
}
