using HybridDiffusion.Core.Scheduling;

namespace HybridDiffusion.Tests.Core.Scheduling;

/// <summary>The fast noise source a seed drives.</summary>
public sealed class GaussianNoiseTests
{
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
