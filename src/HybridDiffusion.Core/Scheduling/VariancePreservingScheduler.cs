namespace HybridDiffusion.Core.Scheduling;

/// <summary>
/// A scheduler that carries the variance-preserving latent x_t = √ᾱ·x0 + √(1−ᾱ)·ε (DDIM, LCM): the model sees the
/// latent as it is, the initial noise has unit variance, and a step goes through x̂0 and a noise at ᾱ_t.
/// </summary>
internal abstract class VariancePreservingScheduler : DiffusionScheduler
{
    private readonly bool _clipSampleByDefault;

    /// <param name="clipSampleByDefault">diffusers' clip_sample default for the class, used where the config omits it.</param>
    protected VariancePreservingScheduler(SchedulerConfig config, bool clipSampleByDefault) : base(config) =>
        _clipSampleByDefault = clipSampleByDefault;

    public sealed override LatentSpace Space => LatentSpace.VariancePreserving;

    public sealed override float InitNoiseSigma(double timestep) => 1f;

    public sealed override void ScaleModelInput(ScheduleStep step, ReadOnlySpan<float> sample, Span<float> destination) =>
        sample.CopyTo(destination);

    /// <summary>Splits the model output at the step's timestep into x̂0 (clipped where clip_sample says so) and ε.</summary>
    protected void PredictOriginal(ScheduleStep step, ReadOnlySpan<float> modelOutput, ReadOnlySpan<float> sample,
        Span<float> predictedOriginal, Span<float> epsilon)
    {
        PredictionMath.Split(Config.PredictionType, Noise.AlphaCumprodAt(step.Timestep), sample, modelOutput, predictedOriginal, epsilon);
        if (Config.ClipSample ?? _clipSampleByDefault)
        {
            PredictionMath.Clip(predictedOriginal, (float)Config.ClipSampleRange);
        }
    }

    /// <summary>x ← √ᾱ_prev·x0 + √(1−ᾱ_prev)·ε: the latent at the step's previous timestep.</summary>
    protected void NoiseTowardsPrevious(ScheduleStep step, ReadOnlySpan<float> original, ReadOnlySpan<float> epsilon, Span<float> sample)
    {
        double alphaPrev = Noise.AlphaCumprodAt(step.PrevTimestep);
        TensorPrimitives.Multiply(original, (float)Math.Sqrt(alphaPrev), sample);
        TensorPrimitives.MultiplyAdd(epsilon, (float)Math.Sqrt(1 - alphaPrev), sample, sample);
    }
}
