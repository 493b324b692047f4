namespace HybridDiffusion.Sampling;

/// <summary>One finished denoising step of one image, for progress displays (a struct: reported every step, never allocated).</summary>
public readonly record struct GenerationProgress(
    int ImageIndex,
    int ImageCount,
    int StepIndex,
    int StepCount,
    int Timestep,
    ModelRole Model,
    string Prompt,
    long Seed,
    GenerationMode Mode)
{
    /// <summary>Overall completion in percent across every image of the request.</summary>
    public int PercentComplete => (int)(100.0 * (ImageIndex * StepCount + StepIndex + 1) / (ImageCount * (double)StepCount));
}

/// <summary>What a face of the engine (cmdlet, CLI) hears while a request runs. Called on the calling thread.</summary>
public interface IGenerationObserver : IEngineLog
{
    void OnProgress(GenerationProgress progress);

    /// <summary>Asked before each file is written (PowerShell's ShouldProcess); false skips the file.</summary>
    bool ShouldWriteFile(string path);
}
