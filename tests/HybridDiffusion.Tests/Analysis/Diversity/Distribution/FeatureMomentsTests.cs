using HybridDiffusion.Analysis.Diversity.Distribution;
using HybridDiffusion.Contracts;

namespace HybridDiffusion.Tests.Analysis.Diversity.Distribution;

/// <summary>
/// Streaming moments equal the two-pass mean and covariance across counts and block sizes (block edges included),
/// merge exactly, keep precision when the mean dwarfs the spread, and refuse sets too small to have a covariance.
/// </summary>
public sealed class FeatureMomentsTests
{
    [Theory]
    [InlineData(2, 3, 256)]
    [InlineData(3, 1, 1)]
    [InlineData(255, 8, 256)]
    [InlineData(256, 8, 256)]
    [InlineData(257, 8, 256)]
    [InlineData(1000, 17, 7)]
    [InlineData(3000, 64, 256)]
    public void StreamingEqualsTwoPass(int count, int dimension, int blockRows)
    {
        var set = GaussianFixtures.Sample(count, dimension, seed: count + dimension, offset: 0.5, scale: 2);
        var moments = new FeatureMoments(dimension, blockRows);
        foreach (var v in set)
        {
            moments.Add(v);
        }
        var statistics = moments.ToStatistics("test");
        var (mean, covariance) = GaussianFixtures.TwoPass(set);
        Assert.Equal(count, statistics.Count);
        AssertClose(mean, statistics.Mean, 1e-12);
        AssertClose(covariance, statistics.Covariance, 1e-11);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(64)]
    public void PartialAccumulatorsMergeToTheWhole(int parts)
    {
        var set = GaussianFixtures.Sample(700, 12, seed: parts, offset: -3);
        var whole = new FeatureMoments(12, 32);
        whole.AddRows(set.SelectMany(v => v).ToArray());
        var merged = new FeatureMoments(12, 50);
        foreach (var part in set.Chunk((set.Count + parts - 1) / parts))
        {
            var partial = new FeatureMoments(12, 9);
            foreach (var v in part)
            {
                partial.Add(v);
            }
            merged.Merge(partial);
        }
        Assert.Equal(whole.Count, merged.Count);
        var a = whole.ToStatistics("whole");
        var b = merged.ToStatistics("merged");
        AssertClose(a.Mean, b.Mean, 1e-12);
        AssertClose(a.Covariance, b.Covariance, 1e-12);
    }

    [Fact]
    public void AMeanFarLargerThanTheSpreadKeepsTheCovariance()
    {
        // float32 features near 1000 with spread 0.01: Σxxᵀ − nμμᵀ in double would lose about ten digits here.
        var set = GaussianFixtures.Sample(5000, 4, seed: 11, offset: 1000, scale: 0.01);
        var moments = new FeatureMoments(4, 100);
        set.ForEach(v => moments.Add(v));
        var (_, covariance) = GaussianFixtures.TwoPass(set);
        AssertClose(covariance, moments.ToStatistics("test").Covariance, 1e-9);
    }

    [Fact]
    public void SetsTooSmallForACovarianceAreRefusedByName()
    {
        var moments = new FeatureMoments(3);
        var empty = Assert.Throws<HybridDiffusionException>(() => moments.ToStatistics("reference"));
        Assert.Equal(HybridErrorKind.InvalidArgument, empty.Kind);
        Assert.Contains("reference set is empty", empty.Message);
        moments.Add(new float[] { 1, 2, 3 });
        Assert.Contains("one image", Assert.Throws<HybridDiffusionException>(() => moments.ToStatistics("reference")).Message);
    }

    [Fact]
    public void VectorsOfAnotherLengthOrNotFiniteAreRefused()
    {
        var moments = new FeatureMoments(3);
        Assert.Throws<ArgumentException>(() => moments.Add(new float[] { 1, 2 }));
        Assert.Throws<ArgumentException>(() => moments.AddRows(new float[] { 1, 2, 3, 4 }));
        var nan = Assert.Throws<HybridDiffusionException>(() => moments.Add(new[] { 1, float.NaN, 3 }));
        Assert.Equal(HybridErrorKind.InvalidModel, nan.Kind);
        Assert.Throws<ArgumentException>(() => moments.Merge(new FeatureMoments(4)));
    }

    internal static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double relative)
    {
        Assert.Equal(expected.Count, actual.Count);
        double scale = expected.Max(Math.Abs);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= relative * scale, $"element {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
}
