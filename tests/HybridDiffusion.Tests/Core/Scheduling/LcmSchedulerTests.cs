using HybridDiffusion.Core.Scheduling;

namespace HybridDiffusion.Tests.Core.Scheduling;

/// <summary>The LCM scheduler against REFERENCE.md §2: its default timesteps and boundary scalings.</summary>
public sealed class LcmSchedulerTests
{
    [Fact]
    public void LcmDefaultFourStepsSkipTheOriginalFiftyStepSchedule() =>
        Assert.Equal(new double[] { 999, 759, 499, 259 }, new LcmScheduler(TestSchedules.StableDiffusion with { ClassName = "LCMScheduler" }).CreateSchedule(4).Timesteps);

    [Fact]
    public void LcmLastStepReturnsTheDenoisedSampleWithBoundaryScalings()
    {
        var scheduler = new LcmScheduler(TestSchedules.StableDiffusion with { ClassName = "LCMScheduler" });
        var last = scheduler.CreateSchedule(4).Steps[^1];
        double a = scheduler.Noise.AlphaCumprodAt(last.Timestep);
        float[] sample = { 0.3f }, eps = { 0.1f }, predicted = new float[1];
        double x0 = (0.3 - Math.Sqrt(1 - a) * 0.1) / Math.Sqrt(a);
        double s = 10.0 * last.Timestep;
        double expected = s / Math.Sqrt(s * s + 0.25) * x0 + 0.25 / (s * s + 0.25) * 0.3;
        scheduler.Step(last, eps, sample, predicted, new float[1], new GaussianNoise(0));
        Assert.Equal(expected, sample[0], 5);
        Assert.Equal(expected, predicted[0], 5);
    }
}
