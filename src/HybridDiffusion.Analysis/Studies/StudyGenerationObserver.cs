using HybridDiffusion.Core.Sampling;

namespace HybridDiffusion.Analysis.Studies;

/// <summary>Passes the engine's messages during a study's generation to the study's observer; the study reports progress per unit itself.</summary>
internal sealed class StudyGenerationObserver(IStudyObserver observer) : IGenerationObserver
{
    public void OnProgress(GenerationProgress progress)
    {
    }

    public bool ShouldWriteFile(string path) => true;

    public void Verbose(string message) => observer.Verbose(message);

    public void Warning(string message) => observer.Warning(message);
}
