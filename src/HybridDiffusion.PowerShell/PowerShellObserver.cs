using System.Management.Automation;
using HybridDiffusion.Diversity;
using HybridDiffusion.Sampling;

namespace HybridDiffusion.PowerShell;

/// <summary>Maps engine events to PowerShell streams. The engine calls back on the pipeline thread.</summary>
internal sealed class PowerShellObserver : IGenerationObserver, IDiversityObserver
{
    private readonly PSCmdlet _cmdlet;
    private readonly ProgressRecord _progress;

    public PowerShellObserver(PSCmdlet cmdlet, string activity)
    {
        _cmdlet = cmdlet;
        _progress = new ProgressRecord(1, activity, "Starting");
    }

    public void OnProgress(GenerationProgress p)
    {
        _progress.StatusDescription = $"Image {p.ImageIndex + 1} of {p.ImageCount}: {p.Mode} seed {p.Seed}, step {p.StepIndex + 1} of {p.StepCount} ({p.Model}, t={p.Timestep})";
        _progress.PercentComplete = Math.Clamp(p.PercentComplete, 0, 100);
        _cmdlet.WriteProgress(_progress);
    }

    public void OnProgress(DiversityProgress p)
    {
        _progress.StatusDescription = $"{p.Metric} distances of group '{p.Group}' ({p.TaskIndex + 1} of {p.TaskCount})";
        _progress.PercentComplete = p.PercentComplete;
        _cmdlet.WriteProgress(_progress);
    }

    public bool ShouldWriteFile(string path) => _cmdlet.ShouldProcess(path, "Write PNG file");

    public void Verbose(string message) => _cmdlet.WriteVerbose(message);

    public void Warning(string message) => _cmdlet.WriteWarning(message);

    public void Complete()
    {
        _progress.RecordType = ProgressRecordType.Completed;
        _cmdlet.WriteProgress(_progress);
    }
}
