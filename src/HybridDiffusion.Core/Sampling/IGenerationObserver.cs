namespace HybridDiffusion.Core.Sampling;

/// <summary>What a face of the engine (cmdlet, CLI) hears while a request runs. Called on the calling thread.</summary>
public interface IGenerationObserver : IEngineLog
{
    void OnProgress(GenerationProgress progress);

    /// <summary>Asked before each file is written (PowerShell's ShouldProcess); false skips the file.</summary>
    bool ShouldWriteFile(string path);
}
