using HybridDiffusion.Core.Scheduling;

namespace HybridDiffusion.Tests.Support;

/// <summary>The Stable Diffusion noise schedule (scaled-linear betas 0.00085–0.012) as the scheduler tests configure it, and its σ.</summary>
internal static class TestSchedules
{
    /// <summary>SD 1.5 / SDXL base's scheduler_config.json: leading spacing, steps_offset 1, no alpha set to one.</summary>
    public static readonly SchedulerConfig StableDiffusion = new()
    {
        BetaStart = 0.00085, BetaEnd = 0.012, BetaSchedule = "scaled_linear", TimestepSpacing = "leading", StepsOffset = 1, SetAlphaToOne = false,
    };

    /// <summary>Euler with trailing spacing, as SDXL-Lightning and SD-Turbo run it.</summary>
    public static readonly SchedulerConfig EulerTrailing = new()
    {
        ClassName = "EulerDiscreteScheduler", BetaStart = 0.00085, BetaEnd = 0.012, BetaSchedule = "scaled_linear", TimestepSpacing = "trailing",
    };

    /// <summary>σ = √((1−ᾱ)/ᾱ), for REFERENCE.md's ᾱ values.</summary>
    public static double Sigma(double alphaProd) => Math.Sqrt((1 - alphaProd) / alphaProd);
}
