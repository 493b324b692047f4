namespace HybridDiffusion.Core.Scheduling;

/// <summary>A scheduler over the training noise schedule its config describes; subclasses supply the step rule.</summary>
internal abstract class DiffusionScheduler : IDiffusionScheduler
{
    protected DiffusionScheduler(SchedulerConfig config)
    {
        Config = config;
        Noise = new NoiseSchedule(config);
    }

    public abstract string Name { get; }

    public SchedulerConfig Config { get; }

    public NoiseSchedule Noise { get; }

    public abstract LatentSpace Space { get; }

    public abstract float InitNoiseSigma(double timestep);

    public abstract Schedule CreateSchedule(int steps);

    public abstract void ScaleModelInput(ScheduleStep step, ReadOnlySpan<float> sample, Span<float> destination);

    public abstract void Step(ScheduleStep step, ReadOnlySpan<float> modelOutput, Span<float> sample, Span<float> predictedOriginal,
        Span<float> scratch, INoiseSource noise);
}
