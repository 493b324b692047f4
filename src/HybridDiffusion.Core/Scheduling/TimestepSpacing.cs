namespace HybridDiffusion.Core.Scheduling;

/// <summary>diffusers' timestep spacings for N inference steps over T training steps, descending.</summary>
internal static class TimestepSpacing
{
    /// <param name="keepFractions">
    /// Linspace only: keep linspace(0, T−1, N) as float32 values, as diffusers' Euler schedulers do, instead of rounding
    /// them to whole timesteps (DDIM).
    /// </param>
    public static double[] Compute(string spacing, int steps, int trainTimesteps, int stepsOffset, bool keepFractions = false)
    {
        if (steps < 1 || steps > trainTimesteps)
        {
            throw HybridDiffusionException.Argument(SettingId.Steps, $"Steps must be between 1 and {trainTimesteps}; got {steps}.");
        }
        var timesteps = new double[steps];
        switch (spacing)
        {
            case "leading":
                int ratio = trainTimesteps / steps;
                for (int i = 0; i < steps; i++)
                {
                    timesteps[i] = (steps - 1 - i) * ratio + stepsOffset;
                }
                break;
            case "trailing":
                double step = (double)trainTimesteps / steps;
                for (int i = 0; i < steps; i++)
                {
                    timesteps[i] = (int)Math.Round(trainTimesteps - i * step, MidpointRounding.ToEven) - 1;
                }
                break;
            case "linspace":
                for (int i = 0; i < steps; i++)
                {
                    double value = steps == 1 ? 0 : (double)(trainTimesteps - 1) * (steps - 1 - i) / (steps - 1);
                    timesteps[i] = keepFractions ? (float)value : Math.Round(value, MidpointRounding.ToEven);
                }
                break;
            default:
                throw new HybridDiffusionException(HybridErrorKind.UnsupportedModel,
                    $"timestep_spacing '{spacing}' is not supported; supported: leading, trailing, linspace.", "scheduler_config.json");
        }
        return timesteps;
    }
}
