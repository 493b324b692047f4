using System.Management.Automation;
using HybridDiffusion.Analysis.Studies;
using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Studies;
using HybridDiffusion.Contracts.Requests;

namespace HybridDiffusion.PowerShell;

/// <summary>
/// Invoke-HybridStudy: makes the units of one shard of a study that its results folder does not hold yet; a shard
/// stopped (Ctrl+C, a killed job) and started again makes exactly the rest.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "HybridStudy", SupportsShouldProcess = true)]
[OutputType(typeof(StudyRunOutcome))]
public sealed class InvokeHybridStudyCommand : PSCmdlet
{
    private readonly CancellationTokenSource _stop = new();

    /// <summary>The study: a JSON or .psd1 file, or a hashtable with the same keys.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNull]
    public object Study { get; set; } = null!;

    /// <summary>The results folder, shared by the study's shards.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string OutputDirectory { get; set; } = null!;

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
        try
        {
            var (shard, source) = ShardSelection.Resolve(Shard, MyInvocation.BoundParameters.ContainsKey(nameof(ShardCount)) ? ShardCount : null,
                Environment.GetEnvironmentVariables());
            var study = StudyArgument.Read(this, Study);
            var folder = GetUnresolvedProviderPathFromPSPath(OutputDirectory);
            WriteVerbose($"Study shard: {source}.");
            if (!ShouldProcess(folder, $"Run shard {shard} of study '{study.Name}'"))
            {
                return;
            }
            WriteObject(StudyRunner.Run(SharedEngine.Instance, new StudyRunRequest { Study = study, OutputDirectory = folder, Shard = shard }, observer, _stop.Token));
        }
        catch (Exception ex) when (ErrorRecords.Terminating(ex, MyInvocation.MyCommand) is { } record)
        {
            ThrowTerminatingError(record);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Ctrl+C: every recorded unit is whole; the next run makes the rest.
        }
        finally
        {
            observer.Complete();
            _stop.Dispose();
        }
    }

    protected override void StopProcessing() => _stop.Cancel();
}
