using HybridDiffusion.Core.Scheduling;

namespace HybridDiffusion.Tests.Core.Scheduling;

public sealed class NoiseScheduleTests
{
    private static readonly SchedulerConfig StableDiffusion = new()
    {
        BetaStart = 0.00085, BetaEnd = 0.012, BetaSchedule = "scaled_linear", TimestepSpacing = "leading", StepsOffset = 1, SetAlphaToOne = false,
    };

    [Theory]
    [InlineData(999, 0.004660)]
    [InlineData(759, 0.052213)]
    [InlineData(749, 0.056623)]
    [InlineData(499, 0.277670)]
    [InlineData(249, 0.675432)]
    public void ScaledLinearAlphaCumprodMatchesDiffusers(int t, double expected) =>
        Assert.Equal(expected, new NoiseSchedule(StableDiffusion).AlphaCumprodAt(t), 6);

    [Fact]
    public void SigmaMaxMatchesReference()
    {
        double alpha = new NoiseSchedule(StableDiffusion).AlphaCumprodAt(999);
        Assert.Equal(14.6146, Math.Sqrt((1 - alpha) / alpha), 3);
    }

    [Fact]
    public void LcmDefaultFourStepsSkipTheOriginalFiftyStepSchedule() =>
        Assert.Equal(new double[] { 999, 759, 499, 259 }, new LcmScheduler(StableDiffusion with { ClassName = "LCMScheduler" }).CreateSchedule(4).Timesteps);

    [Fact]
    public void TrailingSpacingForFourSteps() =>
        Assert.Equal(new double[] { 999, 749, 499, 249 }, TimestepSpacing.Compute("trailing", 4, 1000, 0));

    [Fact]
    public void DdimLeadingFiftyStepsWithOffsetOne()
    {
        var schedule = new DdimScheduler(StableDiffusion).CreateSchedule(50);
        Assert.Equal(50, schedule.Count);
        Assert.Equal(981, schedule.Steps[0].Timestep);
        Assert.Equal(1, schedule.Steps[^1].Timestep);
        Assert.Equal(961, schedule.Steps[0].PrevTimestep);
        Assert.True(schedule.Steps[^1].PrevTimestep < 0, "the last DDIM step goes to the final alpha");
    }

    [Fact]
    public void DdimStepWithPerfectNoisePredictionLandsOnTheCleanSample()
    {
        // x_t = √ᾱ·x0 + √(1−ᾱ)·ε; a model that returns ε exactly must give x̂0 = x0 and x_prev = √ᾱ_prev·x0 + √(1−ᾱ_prev)·ε.
        var scheduler = new DdimScheduler(StableDiffusion with { ClipSample = false });
        var step = scheduler.CreateSchedule(4).Steps[1];
        double a = scheduler.Noise.AlphaCumprodAt(step.Timestep), ap = scheduler.Noise.AlphaCumprodAt(step.PrevTimestep);
        float[] x0 = { 0.5f, -0.25f }, eps = { 1.2f, -0.7f };
        var sample = x0.Select((v, i) => (float)(Math.Sqrt(a) * v + Math.Sqrt(1 - a) * eps[i])).ToArray();
        var predicted = new float[2];
        scheduler.Step(step, eps, sample, predicted, new float[2], new GaussianNoise(0));
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(x0[i], predicted[i], 4);
            Assert.Equal(Math.Sqrt(ap) * x0[i] + Math.Sqrt(1 - ap) * eps[i], sample[i], 4);
        }
    }

    [Fact]
    public void LcmLastStepReturnsTheDenoisedSampleWithBoundaryScalings()
    {
        var scheduler = new LcmScheduler(StableDiffusion with { ClassName = "LCMScheduler" });
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

    [Fact]
    public void NoiseStreamIsReproducibleAndStandardNormal()
    {
        var a = new float[20000];
        var b = new float[20000];
        new GaussianNoise(42).Fill(a);
        new GaussianNoise(42).Fill(b);
        Assert.Equal(a, b);
        Assert.InRange(a.Average(), -0.03, 0.03);
        Assert.InRange(a.Select(v => v * v).Average(), 0.96, 1.04);
    }
}
