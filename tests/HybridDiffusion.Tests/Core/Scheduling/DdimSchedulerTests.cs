using HybridDiffusion.Core.Scheduling;

namespace HybridDiffusion.Tests.Core.Scheduling;

/// <summary>DDIM (η = 0) against REFERENCE.md §2.</summary>
public sealed class DdimSchedulerTests
{
    [Fact]
    public void DdimLeadingFiftyStepsWithOffsetOne()
    {
        var schedule = new DdimScheduler(TestSchedules.StableDiffusion).CreateSchedule(50);
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
        var scheduler = new DdimScheduler(TestSchedules.StableDiffusion with { ClipSample = false });
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
}
