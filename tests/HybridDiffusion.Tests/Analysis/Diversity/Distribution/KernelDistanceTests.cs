using HybridDiffusion.Analysis.Diversity.Distribution;
using HybridDiffusion.Contracts;

namespace HybridDiffusion.Tests.Analysis.Diversity.Distribution;

/// <summary>
/// KID pinned by hand on tiny sets, to the closed form of two point masses, near zero (within its spread) on two large
/// samples of one distribution and far from it on shifted ones, repeatable by seed, and refusing empty or mismatched sets.
/// </summary>
public sealed class KernelDistanceTests
{
    [Fact]
    public void AHandWorkedPair()
    {
        // d = 1, k(a, b) = (ab + 1)³. Within {0, 1}: k(0, 1) = 1, twice over 2·1 pairs → 1. Within {2, 3}: k = 7³ = 343.
        // Across: k(0,2) + k(0,3) + k(1,2) + k(1,3) = 1 + 1 + 27 + 64 = 93 → 2·93/4 = 46.5. MMD² = 1 + 343 − 46.5.
        var x = new List<float[]> { new float[] { 0 }, new float[] { 1 } };
        var y = new List<float[]> { new float[] { 2 }, new float[] { 3 } };
        var kid = KernelDistance.Between(x, y, subsets: 3, subsetSize: 2);
        Assert.Equal(297.5, kid.Mean, 10);
        Assert.Equal(0, kid.StandardDeviation, 10);
        Assert.Equal(2, kid.PartSize);
    }

    [Fact]
    public void TwoPointMassesGiveTheirClosedForm()
    {
        // All of one set at a = (1, 0), all of the other at b = (0, 1), d = 2: k(a,a) + k(b,b) − 2k(a,b) = 2·1.5³ − 2.
        var x = Enumerable.Repeat(new float[] { 1, 0 }, 30).ToList();
        var y = Enumerable.Repeat(new float[] { 0, 1 }, 40).ToList();
        Assert.Equal(2 * 3.375 - 2, KernelDistance.Between(x, y, subsets: 5, subsetSize: 25).Mean, 10);
    }

    [Fact]
    public void TwoLargeSamplesOfOneDistributionAreWithinTheirSpreadOfZero()
    {
        var x = GaussianFixtures.Sample(3000, 16, seed: 21);
        var y = GaussianFixtures.Sample(3000, 16, seed: 22);
        var same = KernelDistance.Between(x, y, subsets: 50, subsetSize: 500);
        Assert.True(Math.Abs(same.Mean) < same.StandardDeviation, $"{same.Mean} ± {same.StandardDeviation}");
        var shifted = KernelDistance.Between(x, GaussianFixtures.Sample(3000, 16, seed: 23, offset: 0.5), subsets: 50, subsetSize: 500);
        Assert.True(shifted.Mean > 10 * shifted.StandardDeviation, $"{shifted.Mean} ± {shifted.StandardDeviation}");
    }

    [Fact]
    public void TheSeedDecidesTheSubsets()
    {
        var x = GaussianFixtures.Sample(300, 8, seed: 1);
        var y = GaussianFixtures.Sample(300, 8, seed: 2, offset: 0.2);
        Assert.Equal(KernelDistance.Between(x, y, 10, 100, seed: 4), KernelDistance.Between(x, y, 10, 100, seed: 4));
        Assert.NotEqual(KernelDistance.Between(x, y, 10, 100, seed: 4).Mean, KernelDistance.Between(x, y, 10, 100, seed: 5).Mean);
    }

    [Fact]
    public void EmptyOrMismatchedSetsAreRefused()
    {
        var x = GaussianFixtures.Sample(10, 4, seed: 1);
        var empty = Assert.Throws<HybridDiffusionException>(() => KernelDistance.Between(x, new List<float[]>()));
        Assert.Equal(HybridErrorKind.InvalidArgument, empty.Kind);
        Assert.Contains("reference set is empty", empty.Message);
        Assert.Contains("generated set has one image", Assert.Throws<HybridDiffusionException>(() => KernelDistance.Between(x.Take(1).ToList(), x)).Message);
        Assert.Contains("5 values where 4", Assert.Throws<HybridDiffusionException>(() => KernelDistance.Between(x, GaussianFixtures.Sample(10, 5, 2))).Message);
    }
}
