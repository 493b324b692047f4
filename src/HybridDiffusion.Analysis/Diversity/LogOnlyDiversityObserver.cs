using HybridDiffusion.Core.Sampling;

namespace HybridDiffusion.Analysis.Diversity;

/// <summary>The diversity observer used when a caller passes none: no progress, every picture may be written, messages to a log.</summary>
internal sealed class LogOnlyDiversityObserver : LogOnlyObserver, IDiversityObserver
{
    public LogOnlyDiversityObserver(IEngineLog log)
        : base(log)
    {
    }

    public void OnProgress(DiversityProgress progress)
    {
    }
}
