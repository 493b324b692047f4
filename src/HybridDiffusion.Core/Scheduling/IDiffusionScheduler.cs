namespace HybridDiffusion.Core.Scheduling;

/// <summary>
/// A sampler's step rule (diffusers semantics). Instances are immutable and may be shared across threads;
/// per-image state lives in the caller's buffers and noise stream.
/// </summary>
public interface IDiffusionScheduler
{
    string Name { get; }

    SchedulerConfig Config { get; }

    NoiseSchedule Noise { get; }

    /// <summary>How the latent between steps is scaled; a plan converts when consecutive segments differ.</summary>
    LatentSpace Space { get; }

    /// <summary>The standard deviation of the initial latent noise for a run that starts at <paramref name="timestep"/>.</summary>
    float InitNoiseSigma(double timestep);

    /// <summary>The scheduler's own timesteps for a number of steps.</summary>
    Schedule CreateSchedule(int steps);

    /// <summary>The model input for a step (identity for variance-preserving schedulers).</summary>
    void ScaleModelInput(ScheduleStep step, ReadOnlySpan<float> sample, Span<float> destination);

    /// <summary>
    /// Advances <paramref name="sample"/> in place from the step's timestep to its previous one and writes the
    /// clean sample the step predicts (x̂0, or LCM's boundary-scaled "denoised") to <paramref name="predictedOriginal"/>.
    /// </summary>
    void Step(ScheduleStep step, ReadOnlySpan<float> modelOutput, Span<float> sample, Span<float> predictedOriginal,
        Span<float> scratch, INoiseSource noise);
}
