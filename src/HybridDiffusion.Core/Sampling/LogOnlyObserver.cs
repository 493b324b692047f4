namespace HybridDiffusion.Core.Sampling;

/// <summary>
/// The observer used when a caller passes none: no progress, every file may be written, and messages go to a log (the
/// engine's). Open so the analysis layer's observer adds its own (empty) progress on top.
/// </summary>
public class LogOnlyObserver : IGenerationObserver
{
    private readonly IEngineLog _log;

    public LogOnlyObserver(IEngineLog log) => _log = log;

    public void OnProgress(GenerationProgress progress)
    {
    }

    public bool ShouldWriteFile(string path) => true;

    public void Verbose(string message) => _log.Verbose(message);

    public void Warning(string message) => _log.Warning(message);
}
