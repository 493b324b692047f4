namespace HybridDiffusion.Core.Sampling;

/// <summary>
/// One finished denoising step of one image, for progress displays (a struct: reported every step, never allocated).
/// Images of a batch advance together, and in sequential memory mode every image's base steps come first, so overall
/// completion counts image-steps done rather than images.
/// </summary>
public readonly record struct GenerationProgress(
    int ImageIndex,
    int ImageCount,
    int StepIndex,
    int StepCount,
    int Timestep,
    ModelRole Model,
    string Prompt,
    long Seed,
    GenerationMode Mode,
    long StepsDone,
    long TotalSteps)
{
    /// <summary>Overall completion in percent across every image-step of the request.</summary>
    public int PercentComplete => (int)(100.0 * StepsDone / Math.Max(1, TotalSteps));
}
