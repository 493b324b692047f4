using HybridDiffusion.Core.Scheduling;

namespace HybridDiffusion.Tests.Core.Scheduling;

/// <summary>Euler against REFERENCE.md §2.</summary>
public sealed class EulerSchedulerTests
{
    [Fact]
    public void SigmasScheduleAndInitialNoiseFollowDiffusers()
    {
        var euler = (EulerScheduler)SchedulerFactory.Create(TestSchedules.EulerTrailing);
        Assert.Equal(14.6146, euler.SigmaAt(999), 4);
        Assert.Equal(TestSchedules.Sigma(0.056623), euler.SigmaAt(749), 4);
        Assert.Equal(0, euler.SigmaAt(-1));
        Assert.Equal(new double[] { 999, 749, 499, 249 }, euler.CreateSchedule(4).Timesteps);
        Assert.Equal(14.6146f, euler.InitNoiseSigma(999), 3);
        var leading = new EulerScheduler(TestSchedules.EulerTrailing with { TimestepSpacing = "leading" }, ancestral: false);
        Assert.Equal((float)Math.Sqrt(14.6146 * 14.6146 + 1), leading.InitNoiseSigma(999), 3);
        Assert.Equal(LatentSpace.SigmaScaled, euler.Space);
        Assert.Equal("EulerAncestral", SchedulerFactory.Create(TestSchedules.EulerTrailing with { ClassName = "EulerAncestralDiscreteScheduler" }).Name);
    }

    [Fact]
    public void ModelInputIsScaledByOneOverSqrtSigmaSquaredPlusOne()
    {
        var euler = SchedulerFactory.Create(TestSchedules.EulerTrailing);
        var output = new float[2];
        euler.ScaleModelInput(new ScheduleStep(0, 999, 749, false), new float[] { 14.6146f, -29.2292f }, output);
        double scale = 1 / Math.Sqrt(14.6146 * 14.6146 + 1);
        Assert.Equal(14.6146 * scale, output[0], 4);
        Assert.Equal(-29.2292 * scale, output[1], 4);
    }

    [Fact]
    public void EulerStepMatchesTheHandComputedUpdate()
    {
        var euler = SchedulerFactory.Create(TestSchedules.EulerTrailing);
        float[] x = { 1f, -2f }, epsilon = { 0.5f, 0.25f };
        var predicted = new float[2];
        euler.Step(new ScheduleStep(0, 999, 749, false), epsilon, x, predicted, new float[2], new GaussianNoise(0));
        double sigma = TestSchedules.Sigma(0.004660), next = TestSchedules.Sigma(0.056623);
        // x̂0 = x − σ·ε;  x' = x + (x − x̂0)/σ·(σ' − σ) = x + ε·(σ' − σ)
        Assert.Equal(1 - sigma * 0.5, predicted[0], 2);
        Assert.Equal(1 + 0.5 * (next - sigma), x[0], 2);
        Assert.Equal(-2 + 0.25 * (next - sigma), x[1], 2);
    }
}
