using HybridDiffusion.Analysis.Diversity.Distribution;
using HybridDiffusion.Contracts;

namespace HybridDiffusion.Tests.Analysis.Diversity.Distribution;

/// <summary>
/// Variation directions on data built with known directions: the base varies along three orthogonal directions with
/// known spreads; a "distilled" set is the same coefficients scaled by 0.3 (the directions possessed but barely
/// activated) plus variation along a fourth direction the base lacks. Every figure follows exactly, for sets smaller
/// and larger than the dimension (the Gram and covariance routes).
/// </summary>
public sealed class VariationDirectionsTests
{
    private static readonly double[] Spreads = { 3, 2, 1 };

    [Theory]
    [InlineData(10, 32)]
    [InlineData(100, 32)]
    [InlineData(100, 512)]
    [InlineData(1000, 16)]
    public void KnownDirectionsGiveKnownSpectraAndFractions(int n, int d)
    {
        var rotation = GaussianFixtures.Rotation(d, seed: d);
        var random = new Random(n);
        var coefficients = Enumerable.Range(0, n).Select(_ => Spreads.Select(s => s * GaussianFixtures.Normal(random)).ToArray()).ToArray();
        // The fourth direction's coefficient alternates ±2: mean 0 (n even), sample variance 4n/(n − 1).
        var baseSet = coefficients.Select(c => Combine(rotation, d, c, 0, offset: 5)).ToList();
        var distilled = coefficients.Select((c, r) => Combine(rotation, d, c.Select(x => 0.3 * x).ToArray(), r % 2 == 0 ? 2 : -2, offset: -1)).ToList();

        var directions = VariationDirections.Of(baseSet);
        // Beyond the three built in, only the float32 rounding of the features varies.
        double baseTotal = directions.Variances.Take(3).Sum();
        Assert.True(directions.Variances.Skip(3).Sum() < 1e-9 * baseTotal);
        Assert.Equal(directions.TotalVariance, baseTotal, 4);
        foreach (var direction in directions.Directions.Take(3))
        {
            Assert.Equal(1, Math.Sqrt(direction.Sum(x => x * x)), 9);
            // Each direction lies in the span of the first three rotation columns.
            double inSpan = Enumerable.Range(0, 3).Sum(k => Math.Pow(direction.Select((x, j) => x * rotation[j, k]).Sum(), 2));
            Assert.Equal(1, inSpan, 6);
        }
        Assert.True(directions.Variances.Zip(directions.Variances.Skip(1), (a, b) => a >= b).All(x => x));

        var activation = directions.Activation(distilled, topK: 3);
        Assert.Equal(3, activation.Directions);
        Assert.Equal(1, activation.BaseFraction, 9);
        Assert.Equal(Math.Min(10, directions.Directions.Count), directions.Activation(distilled, topK: 10).Directions);
        Assert.All(activation.RelativeVariances, r => Assert.Equal(0.09, r, 6));
        double fourth = 4.0 * n / (n - 1);
        Assert.Equal(0.09 * baseTotal / (0.09 * baseTotal + fourth), activation.Fraction, 6);
        Assert.Equal(0.09 * baseTotal + fourth, activation.TotalVariance, 4);

        var top1 = directions.Activation(baseSet, topK: 1);
        Assert.Equal(directions.Variances[0] / baseTotal, top1.Fraction, 9);
        Assert.Equal(1, top1.RelativeVariances[0], 9);
    }

    [Fact]
    public void BadSetsAreRefused()
    {
        Assert.Contains("base set is empty", Assert.Throws<HybridDiffusionException>(() => VariationDirections.Of(new List<float[]>())).Message);
        var directions = VariationDirections.Of(GaussianFixtures.Sample(20, 4, seed: 1));
        Assert.Contains("5 values where 4", Assert.Throws<HybridDiffusionException>(() => directions.Activation(GaussianFixtures.Sample(20, 5, 2), 2)).Message);
    }

    private static float[] Combine(MathNet.Numerics.LinearAlgebra.Matrix<double> rotation, int d, double[] coefficients, double fourth, double offset) =>
        Enumerable.Range(0, d).Select(j => (float)(offset + Enumerable.Range(0, 3).Sum(k => coefficients[k] * rotation[j, k]) + fourth * rotation[j, 3])).ToArray();
}
