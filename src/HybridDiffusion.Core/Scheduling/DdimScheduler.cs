using System.Numerics.Tensors;

namespace HybridDiffusion.Core.Scheduling;

/// <summary>DDIM with η = 0 (deterministic): x_prev = √ᾱ_prev·x̂0 + √(1−ᾱ_prev)·ε.</summary>
public sealed class DdimScheduler : IDiffusionScheduler
{
    public DdimScheduler(SchedulerConfig config)
    {
        Config = config;
        Noise = new NoiseSchedule(config);
    }

    public string Name => "DDIM";

    public SchedulerConfig Config { get; }

    public NoiseSchedule Noise { get; }

    public LatentSpace Space => LatentSpace.VariancePreserving;

    public float InitNoiseSigma(double timestep) => 1f;

    public Schedule CreateSchedule(int steps)
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

    public void ScaleModelInput(ScheduleStep step, ReadOnlySpan<float> sample, Span<float> destination) => sample.CopyTo(destination);

    public void Step(ScheduleStep step, ReadOnlySpan<float> modelOutput, Span<float> sample, Span<float> predictedOriginal,
        Span<float> scratch, INoiseSource noise)
    {
        double alphaProd = Noise.AlphaCumprodAt(step.Timestep);
        double alphaPrev = Noise.AlphaCumprodAt(step.PrevTimestep);
        var epsilon = scratch[..sample.Length];
        PredictionMath.Split(Config.PredictionType, alphaProd, sample, modelOutput, predictedOriginal, epsilon);
        if (Config.ClipSample ?? true)
        {
            PredictionMath.Clip(predictedOriginal, (float)Config.ClipSampleRange);
        }
        TensorPrimitives.Multiply(predictedOriginal, (float)Math.Sqrt(alphaPrev), sample);
        TensorPrimitives.MultiplyAdd(epsilon, (float)Math.Sqrt(1 - alphaPrev), sample, sample);
    }
}
