namespace HybridDiffusion.Analysis.Studies;

/// <summary>The observer of a call that passes none: messages go to the engine's log, progress nowhere.</summary>
internal sealed class LogOnlyStudyObserver(IEngineLog log) : IStudyObserver
{
    public void OnProgress(StudyProgress progress)
    {
    }

    public void Verbose(string message) => log.Verbose(message);

    public void Warning(string message) => log.Warning(message);
}
