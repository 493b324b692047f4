using HybridDiffusion.Core.Scheduling;

namespace HybridDiffusion.Tests.Core.Scheduling;

/// <summary>Euler-ancestral against REFERENCE.md §2.</summary>
public sealed class EulerAncestralSchedulerTests
{
    [Fact]
    public void EulerAncestralStepsToSigmaDownAndAddsSigmaUpOfFreshNoise()
    {
        var ancestral = SchedulerFactory.Create(TestSchedules.EulerTrailing with { ClassName = "EulerAncestralDiscreteScheduler" });
        float[] x = { 1f, -2f }, epsilon = { 0.5f, 0.25f };
        ancestral.Step(new ScheduleStep(0, 999, 749, false), epsilon, x, new float[2], new float[2], new GaussianNoise(42));
        double sigma = TestSchedules.Sigma(0.004660), next = TestSchedules.Sigma(0.056623);
        double up = Math.Sqrt(next * next * (sigma * sigma - next * next) / (sigma * sigma));
        double down = Math.Sqrt(next * next - up * up);
        var z = new float[2];
        new GaussianNoise(42).Fill(z);
        Assert.Equal(1 + 0.5 * (down - sigma) + z[0] * up, x[0], 2);
        Assert.Equal(-2 + 0.25 * (down - sigma) + z[1] * up, x[1], 2);

        // The last step goes to σ = 0 with no noise: x becomes x̂0.
        float[] last = { 0.3f, 0.6f };
        ancestral.Step(new ScheduleStep(3, 249, -1, true), new float[] { 0.1f, 0.1f }, last, new float[2], new float[2], new GaussianNoise(1));
        double sigma249 = TestSchedules.Sigma(0.675432);
        Assert.Equal(0.3 - sigma249 * 0.1, last[0], 4);
    }
}
