using HybridDiffusion.Core.Scheduling;

namespace HybridDiffusion.Tests.Core.Scheduling;

/// <summary>Latents handed between scheduler families change space: σ-scaled = variance-preserving / √ᾱ.</summary>
public sealed class LatentSpaceTests
{
    [Fact]
    public void ConvertingBetweenSigmaAndVariancePreservingLatentsUsesRootAlpha()
    {
        var euler = SchedulerFactory.Create(TestSchedules.EulerTrailing);
        var lcm = SchedulerFactory.Create(TestSchedules.EulerTrailing with { ClassName = "LCMScheduler" });
        float[] latent = { 2f, -4f };
        LatentSpaces.Convert(euler, lcm, 749, latent);
        Assert.Equal(2 * Math.Sqrt(0.056623), latent[0], 4);
        Assert.Equal(-4 * Math.Sqrt(0.056623), latent[1], 4);
        LatentSpaces.Convert(lcm, euler, 749, latent);
        Assert.Equal(2, latent[0], 4);
        LatentSpaces.Convert(lcm, SchedulerFactory.Create(TestSchedules.EulerTrailing with { ClassName = "DDIMScheduler" }), 749, latent);
        Assert.Equal(2, latent[0], 4);
    }
}
