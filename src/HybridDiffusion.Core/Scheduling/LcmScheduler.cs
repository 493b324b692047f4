namespace HybridDiffusion.Core.Scheduling;

/// <summary>
/// The latent consistency model scheduler: denoised = c_out·x̂0 + c_skip·x with s = timestep_scaling·t,
/// c_skip = 0.25/(s²+0.25), c_out = s/√(s²+0.25); then fresh noise is added towards the next timestep.
/// </summary>
internal sealed class LcmScheduler : VariancePreservingScheduler
{
    public LcmScheduler(SchedulerConfig config) : base(config, clipSampleByDefault: false)
    {
    }

    public override string Name => "LCM";

    /// <summary>
    /// The configured custom timesteps when given (their count must match), else diffusers' default LCM timesteps:
    /// N evenly skipped points of the original 50-step schedule.
    /// </summary>
    public override Schedule CreateSchedule(int steps)
    {
        if (Config.CustomTimesteps is { } custom)
        {
            if (custom.Count != steps)
            {
                throw HybridDiffusionException.Argument(SettingId.Steps,
                    $"This scheduler runs the fixed timesteps {string.Join(", ", custom)}, so Steps must be {custom.Count}; got {steps}.");
            }
            return Schedule.FromTimesteps(custom, Config.NumTrainTimesteps);
        }
        int original = Config.OriginalInferenceSteps;
        int k = Config.NumTrainTimesteps / original;
        if (steps < 1 || steps > original)
        {
            throw HybridDiffusionException.Argument(SettingId.Steps,
                $"The LCM scheduler takes 1 to {original} steps (original_inference_steps); got {steps}.");
        }
        var timesteps = new int[steps];
        for (int i = 0; i < steps; i++)
        {
            int index = (int)Math.Floor((double)i * original / steps);
            timesteps[i] = (original - index) * k - 1;
        }
        return Schedule.FromTimesteps(timesteps, Config.NumTrainTimesteps);
    }

    public override void Step(ScheduleStep step, ReadOnlySpan<float> modelOutput, Span<float> sample, Span<float> predictedOriginal,
        Span<float> scratch, INoiseSource noise)
    {
        PredictOriginal(step, modelOutput, sample, predictedOriginal, scratch[..sample.Length]);

        double s = Config.TimestepScaling * step.Timestep;
        float cSkip = (float)(0.25 / (s * s + 0.25));
        float cOut = (float)(s / Math.Sqrt(s * s + 0.25));
        TensorPrimitives.Multiply(predictedOriginal, cOut, predictedOriginal);
        TensorPrimitives.MultiplyAdd(sample, cSkip, predictedOriginal, predictedOriginal);

        if (step.IsLast)
        {
            predictedOriginal.CopyTo(sample);
            return;
        }
        var fresh = scratch[..sample.Length];
        noise.Fill(fresh);
        NoiseTowardsPrevious(step, predictedOriginal, fresh, sample);
    }
}
