using HybridDiffusion.Core.Scheduling;

namespace HybridDiffusion.Tests.Core.Scheduling;

/// <summary>The training noise schedule: diffusers' ᾱ and σ values (REFERENCE.md §2).</summary>
public sealed class NoiseScheduleTests
{
    [Theory]
    [InlineData(999, 0.004660)]
    [InlineData(759, 0.052213)]
    [InlineData(749, 0.056623)]
    [InlineData(499, 0.277670)]
    [InlineData(249, 0.675432)]
    public void ScaledLinearAlphaCumprodMatchesDiffusers(int t, double expected) =>
        Assert.Equal(expected, new NoiseSchedule(TestSchedules.StableDiffusion).AlphaCumprodAt(t), 6);

    [Fact]
    public void SigmaMaxMatchesReference()
    {
        double alpha = new NoiseSchedule(TestSchedules.StableDiffusion).AlphaCumprodAt(999);
        Assert.Equal(14.6146, Math.Sqrt((1 - alpha) / alpha), 3);
    }
}
