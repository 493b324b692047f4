using HybridDiffusion.Analysis.Diversity.Distribution;
using HybridDiffusion.Contracts;
using MathNet.Numerics.LinearAlgebra;

namespace HybridDiffusion.Tests.Analysis.Diversity.Distribution;

/// <summary>
/// FID pinned to closed forms: a hand-worked pair; commuting covariances (FID = ‖Δμ‖² + Σ(√aᵢ − √bᵢ)²) at sizes up to
/// 256; a rank-one covariance (Tr((Σ₁Σ₂)^½) = √(a·vᵀΣ₂v)); a product that is nilpotent or nearly so, where the
/// eigenvalues a naive square root starts from are negative or complex; and general pairs against an independent
/// route (Cholesky, then the eigenvalues of LᵀΣ₂L). Then the checks of the sets themselves.
/// </summary>
public sealed class FrechetDistanceTests
{
    [Fact]
    public void AHandWorkedPair()
    {
        // ‖(0,0) − (1,2)‖² = 5; (√4 − √1)² + (√9 − √1)² = 1 + 4.
        double fid = FrechetDistance.FromMoments(new double[] { 0, 0 }, new double[] { 4, 0, 0, 9 }, new double[] { 1, 2 }, new double[] { 1, 0, 0, 1 });
        Assert.Equal(10, fid, 12);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(32)]
    [InlineData(256)]
    public void CommutingCovariancesMatchTheirClosedForm(int d)
    {
        var random = new Random(d);
        var rotation = GaussianFixtures.Rotation(d, seed: d);
        var a = Enumerable.Range(0, d).Select(_ => random.NextDouble() * 4).ToArray();
        var b = Enumerable.Range(0, d).Select(_ => random.NextDouble() * 4).ToArray();
        a[0] = 0; // a zero eigenvalue
        var mean1 = Enumerable.Range(0, d).Select(_ => random.NextDouble()).ToArray();
        var mean2 = Enumerable.Range(0, d).Select(_ => random.NextDouble()).ToArray();
        double expected = mean1.Zip(mean2, (x, y) => (x - y) * (x - y)).Sum() + a.Zip(b, (x, y) => Math.Pow(Math.Sqrt(x) - Math.Sqrt(y), 2)).Sum();
        double fid = FrechetDistance.FromMoments(mean1, GaussianFixtures.WithSpectrum(rotation, a), mean2, GaussianFixtures.WithSpectrum(rotation, b));
        Assert.True(Math.Abs(fid - expected) < 1e-9 * Math.Max(1, expected), $"d = {d}: {fid} against {expected}");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(16)]
    [InlineData(128)]
    public void ARankOneCovarianceMatchesItsClosedForm(int d)
    {
        // Σ₁ = a·vvᵀ has d − 1 zero eigenvalues; Σ₁Σ₂ has one non-zero eigenvalue, a·vᵀΣ₂v.
        var random = new Random(d);
        var v = Vector<double>.Build.Dense(d, _ => GaussianFixtures.Normal(random)).Normalize(2);
        double a = 2.5;
        var sigma1 = (v.OuterProduct(v) * a).ToRowMajorArray();
        var sigma2 = GaussianFixtures.PositiveDefinite(d, seed: d + 1);
        var s2 = Matrix<double>.Build.Dense(d, d, sigma2);
        double expected = a + s2.Trace() - 2 * Math.Sqrt(a * (v * s2 * v));
        double fid = FrechetDistance.FromMoments(new double[d], sigma1, new double[d], sigma2);
        Assert.True(Math.Abs(fid - expected) < 1e-9 * expected, $"{fid} against {expected}");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1e-9)]
    [InlineData(1e-4)]
    public void ANearlySingularProductStaysRealAndExact(double overlap)
    {
        // Σ₁ = uuᵀ, Σ₂ = wwᵀ with unit u, w and uᵀw = overlap: Σ₁Σ₂ = overlap·uwᵀ, nilpotent at overlap 0, whose only
        // non-zero eigenvalue is overlap², so Tr((Σ₁Σ₂)^½) = |overlap| and FID = 2 − 2|overlap|.
        const int d = 64;
        var rotation = GaussianFixtures.Rotation(d, seed: 5);
        var u = rotation.Column(0);
        var w = rotation.Column(0) * overlap + rotation.Column(1) * Math.Sqrt(1 - overlap * overlap);
        var sigma1 = u.OuterProduct(u);
        var sigma2 = w.OuterProduct(w);

        // What a naive square root starts from: the product's own eigenvalues, some negative or complex in rounding.
        var naive = (sigma1 * sigma2).Evd().EigenValues;
        Assert.Contains(naive, value => value.Real < 0 || value.Imaginary != 0);
        Assert.Contains(naive, value => double.IsNaN(Math.Sqrt(value.Real)) || value.Imaginary != 0);

        double fid = FrechetDistance.FromMoments(new double[d], sigma1.ToRowMajorArray(), new double[d], sigma2.ToRowMajorArray());
        Assert.True(double.IsFinite(fid));
        Assert.True(Math.Abs(fid - (2 - 2 * overlap)) < 1e-7, $"{fid} against {2 - 2 * overlap}");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(20)]
    [InlineData(200)]
    public void GeneralPairsMatchACholeskyRoute(int d)
    {
        var sigma1 = GaussianFixtures.PositiveDefinite(d, seed: 3 * d);
        var sigma2 = GaussianFixtures.PositiveDefinite(d, seed: 3 * d + 1);
        // Σ₁ = LLᵀ, so Σ₁Σ₂ is similar to LᵀΣ₂L, symmetric: an independent way to the same eigenvalues.
        var l = Matrix<double>.Build.Dense(d, d, sigma1).Cholesky().Factor;
        var s2 = Matrix<double>.Build.Dense(d, d, sigma2);
        double traceRoot = (l.Transpose() * s2 * l).Evd(Symmetricity.Symmetric).EigenValues.Sum(value => Math.Sqrt(Math.Max(0, value.Real)));
        Assert.True(Math.Abs(FrechetDistance.TraceOfSquareRootProduct(sigma1, sigma2, d) - traceRoot) < 1e-9 * traceRoot);
        Assert.True(Math.Abs(FrechetDistance.TraceOfSquareRootProduct(sigma2, sigma1, d) - traceRoot) < 1e-9 * traceRoot);
    }

    [Fact]
    public void SetsFromOneDistributionAreNearAndShiftedOnesFarByTheShift()
    {
        const int d = 8;
        var a = Statistics(GaussianFixtures.Sample(4000, d, seed: 1));
        var b = Statistics(GaussianFixtures.Sample(4000, d, seed: 2));
        var shifted = Statistics(GaussianFixtures.Sample(4000, d, seed: 3, offset: 1));
        Assert.Equal(0, FrechetDistance.Between(a, a), 9);
        Assert.True(FrechetDistance.Between(a, b) < 0.05, $"{FrechetDistance.Between(a, b)}");
        // The shift of 1 in each of 8 features is ‖Δμ‖² = 8.
        Assert.InRange(FrechetDistance.Between(a, shifted), 7.5, 8.5);
    }

    [Fact]
    public void FewerImagesThanFeaturesIsRefusedWithTheReasonAndTheRemedy()
    {
        var small = Statistics(GaussianFixtures.Sample(20, 32, seed: 4));
        var large = Statistics(GaussianFixtures.Sample(100, 32, seed: 5));
        var error = Assert.Throws<HybridDiffusionException>(() => FrechetDistance.Between(large, small));
        Assert.Equal(HybridErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("reference set has 20 images of 32 features", error.Message);
        Assert.Contains("singular", error.Message);
        Assert.Contains("at least 33 images", error.Message);
        Assert.Contains("KID", error.Message);
        Assert.Contains("generated set", Assert.Throws<HybridDiffusionException>(() => FrechetDistance.Between(small, large)).Message);
    }

    [Fact]
    public void FeaturesOfDifferentLengthsAreRefused()
    {
        var error = Assert.Throws<HybridDiffusionException>(() =>
            FrechetDistance.Between(Statistics(GaussianFixtures.Sample(50, 4, 1)), Statistics(GaussianFixtures.Sample(50, 5, 2))));
        Assert.Contains("4 values and the reference features 5", error.Message);
    }

    private static FeatureStatistics Statistics(IReadOnlyList<float[]> set)
    {
        var moments = new FeatureMoments(set[0].Length);
        foreach (var v in set)
        {
            moments.Add(v);
        }
        return moments.ToStatistics("test");
    }
}
