using HybridDiffusion.Analysis.Diversity;
using HybridDiffusion.Core.Sampling;

namespace HybridDiffusion.PowerShell;

/// <summary>
/// Maps engine events to PowerShell streams. The engine calls back on the pipeline thread. Every progress update is a
/// new ProgressRecord: hosts that keep the records (PowerShell.Streams.Progress) hold references, not copies.
/// </summary>
internal sealed class PowerShellObserver : IGenerationObserver, IDiversityObserver, IStudyObserver
{
    private const int ActivityId = 1;
    private readonly PSCmdlet _cmdlet;
    private readonly string _activity;
    private readonly bool _confirmEachFile;
    private string _status = "Starting";
    private int _percent;

    /// <param name="confirmEachFile">False when the cmdlet has already confirmed the whole output folder.</param>
    public PowerShellObserver(PSCmdlet cmdlet, string activity, bool confirmEachFile = true)
    {
        _cmdlet = cmdlet;
        _activity = activity;
        _confirmEachFile = confirmEachFile;
    }

    public void OnProgress(GenerationProgress p) =>
        Write($"Image {p.ImageIndex + 1} of {p.ImageCount}: {p.Mode} seed {p.Seed}, step {p.StepIndex + 1} of {p.StepCount} ({p.Model}, t={p.Timestep})", p.PercentComplete);

    public void OnProgress(DiversityProgress p) =>
        Write($"{p.Metric} distances of group '{p.Group}' ({p.TaskIndex + 1} of {p.TaskCount})", p.PercentComplete);

    public void OnProgress(StudyProgress p) => Write($"{p.Done} of {p.Total} {p.Activity}: '{p.Setting}' on \"{p.Prompt}\"", p.PercentComplete);

    // Pictures are PNG files; Measure-SampleDiversity's reference statistics (.fidstats) are not.
    public bool ShouldWriteFile(string path) => !_confirmEachFile
        || _cmdlet.ShouldProcess(path, path.EndsWith(".png", StringComparison.OrdinalIgnoreCase) ? "Write PNG file" : "Write file");

    public void Verbose(string message) => _cmdlet.WriteVerbose(MessageText.Printable(message));

    public void Warning(string message) => _cmdlet.WriteWarning(MessageText.Printable(message));

    public void Complete() => _cmdlet.WriteProgress(Record(ProgressRecordType.Completed));

    private void Write(string status, int percent)
    {
        _status = status;
        _percent = Math.Clamp(percent, 0, 100);
        _cmdlet.WriteProgress(Record(ProgressRecordType.Processing));
    }

    private ProgressRecord Record(ProgressRecordType type) =>
        new(ActivityId, _activity, _status) { PercentComplete = _percent, RecordType = type };
}
