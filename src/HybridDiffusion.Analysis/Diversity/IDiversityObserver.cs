namespace HybridDiffusion.Analysis.Diversity;

/// <summary>What a face of the engine hears while diversity is measured. Called on the calling thread.</summary>
public interface IDiversityObserver : IEngineLog
{
    void OnProgress(DiversityProgress progress);

    /// <summary>Asked before each picture is written (PowerShell's ShouldProcess); false skips it.</summary>
    bool ShouldWriteFile(string path);
}
