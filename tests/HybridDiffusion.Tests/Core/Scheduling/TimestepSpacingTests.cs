using HybridDiffusion.Core.Scheduling;

namespace HybridDiffusion.Tests.Core.Scheduling;

/// <summary>diffusers' timestep spacings (REFERENCE.md §2).</summary>
public sealed class TimestepSpacingTests
{
    [Fact]
    public void TrailingSpacingForFourSteps() =>
        Assert.Equal(new double[] { 999, 749, 499, 249 }, TimestepSpacing.Compute("trailing", 4, 1000, 0));
}
