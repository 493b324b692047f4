namespace HybridDiffusion.Core.Scheduling;

/// <summary>The training noise schedule: betas and their cumulative alpha products ᾱ_t.</summary>
public sealed class NoiseSchedule
{
    private readonly double[] _alphasCumprod;

    public NoiseSchedule(SchedulerConfig config)
    {
        int n = config.NumTrainTimesteps;
        var betas = new double[n];
        switch (config.BetaSchedule)
        {
            case "scaled_linear":
                // Linear in sqrt(beta), then squared (the Stable Diffusion schedule).
                double s0 = Math.Sqrt(config.BetaStart), s1 = Math.Sqrt(config.BetaEnd);
                for (int i = 0; i < n; i++)
                {
                    double s = s0 + (s1 - s0) * i / (n - 1);
                    betas[i] = s * s;
                }
                break;
            case "linear":
                for (int i = 0; i < n; i++)
                {
                    betas[i] = config.BetaStart + (config.BetaEnd - config.BetaStart) * i / (n - 1);
                }
                break;
            default:
                throw new HybridDiffusionException(HybridErrorKind.UnsupportedModel,
                    $"beta_schedule '{config.BetaSchedule}' is not supported; supported: scaled_linear, linear.", "scheduler_config.json");
        }

        _alphasCumprod = new double[n];
        double product = 1;
        for (int i = 0; i < n; i++)
        {
            product *= 1 - betas[i];
            _alphasCumprod[i] = product;
        }
        FinalAlphaCumprod = config.SetAlphaToOne ? 1.0 : _alphasCumprod[0];
    }

    public int TrainTimesteps => _alphasCumprod.Length;

    /// <summary>ᾱ used after the last step (1 when set_alpha_to_one, else ᾱ_0).</summary>
    public double FinalAlphaCumprod { get; }

    public IReadOnlyList<double> AlphasCumprod => _alphasCumprod;

    /// <summary>
    /// ᾱ at a timestep; a negative timestep means "after the last step". Between whole timesteps ᾱ follows σ, which
    /// diffusers' Euler interpolates linearly in t (see <see cref="SigmaAt"/>).
    /// </summary>
    public double AlphaCumprodAt(double timestep)
    {
        if (timestep < 0)
        {
            return FinalAlphaCumprod;
        }
        if (timestep == Math.Floor(timestep))
        {
            return _alphasCumprod[(int)timestep];
        }
        double sigma = SigmaAt(timestep);
        return 1 / (sigma * sigma + 1);
    }

    /// <summary>σ = √((1−ᾱ)/ᾱ) at a timestep, linearly interpolated between whole timesteps (diffusers' np.interp).</summary>
    public double SigmaAt(double timestep)
    {
        int below = (int)Math.Floor(timestep);
        double fraction = timestep - below;
        double low = SigmaOf(_alphasCumprod[below]);
        return fraction == 0 ? low : low + fraction * (SigmaOf(_alphasCumprod[below + 1]) - low);
    }

    private static double SigmaOf(double alphaProd) => Math.Sqrt((1 - alphaProd) / alphaProd);
}
