using HybridDiffusion.Core.Sampling;

namespace HybridDiffusion.Analysis.Diversity;

/// <summary>The diversity observer used when a caller passes none: silent, and every picture may be written.</summary>
internal sealed class SilentDiversityObserver : SilentObserver, IDiversityObserver
{
    public static new readonly SilentDiversityObserver Instance = new();

    private SilentDiversityObserver()
    {
    }

    public void OnProgress(DiversityProgress progress)
    {
    }
}
