using HybridDiffusion.Diversity;
using HybridDiffusion.Sampling;

namespace HybridDiffusion;

/// <summary>The observer used when a caller passes none: no progress, no messages, every file may be written.</summary>
internal sealed class SilentObserver : IGenerationObserver, IDiversityObserver
{
    public static readonly SilentObserver Instance = new();

    private SilentObserver()
    {
    }

    public void OnProgress(GenerationProgress progress)
    {
    }

    public void OnProgress(DiversityProgress progress)
    {
    }

    public bool ShouldWriteFile(string path) => true;

    public void Verbose(string message)
    {
    }

    public void Warning(string message)
    {
    }
}
