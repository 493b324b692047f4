namespace HybridDiffusion.Core.Scheduling;

/// <summary>DDIM with η = 0 (deterministic): x_prev = √ᾱ_prev·x̂0 + √(1−ᾱ_prev)·ε.</summary>
internal sealed class DdimScheduler : VariancePreservingScheduler
{
    public DdimScheduler(SchedulerConfig config) : base(config, clipSampleByDefault: true)
    {
    }

    public override string Name => "DDIM";

    public override Schedule CreateSchedule(int steps)
    {
        var timesteps = TimestepSpacing.Compute(Config.TimestepSpacing, steps, Config.NumTrainTimesteps, Config.StepsOffset);
        // diffusers' DDIM steps to t − T/N, which for linspace spacing need not be the next listed timestep.
        int stride = Config.NumTrainTimesteps / steps;
        var list = new ScheduleStep[steps];
        for (int i = 0; i < steps; i++)
        {
            list[i] = new ScheduleStep(i, timesteps[i], timesteps[i] - stride, i == steps - 1);
        }
        return new Schedule(list);
    }

    public override void Step(ScheduleStep step, ReadOnlySpan<float> modelOutput, Span<float> sample, Span<float> predictedOriginal,
        Span<float> scratch, INoiseSource noise)
    {
        var epsilon = scratch[..sample.Length];
        PredictOriginal(step, modelOutput, sample, predictedOriginal, epsilon);
        NoiseTowardsPrevious(step, predictedOriginal, epsilon, sample);
    }
}
