using HybridDiffusion.Analysis.Diversity;
using HybridDiffusion.Contracts.Imaging;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Core.Imaging;
using HybridDiffusion.Core.Scheduling;

namespace HybridDiffusion.Tests;

/// <summary>The metric mathematics: REFERENCE.md's checks, identities, symmetry and reproducibility.</summary>
public sealed class DiversityMetricTests
{
    [Fact]
    public void VendiScoreReproducesTheReferenceChecks()
    {
        var k = new double[,] { { 1, 0.9, 0 }, { 0.9, 1, 0 }, { 0, 0, 1 } };
        // "To 4 decimals": within 1e-4 of the reference figure (the second one is 3 − 4e-9, which REFERENCE.md truncates).
        Assert.True(Math.Abs(VendiScore.FromSimilarity(k) - 2.1573) < 1e-4, $"{VendiScore.FromSimilarity(k)}");

        var samples = new double[] { 0, 0, 10, 10, 20, 20 };
        var laplace = new double[6, 6];
        for (int i = 0; i < 6; i++)
        {
            for (int j = 0; j < 6; j++)
            {
                laplace[i, j] = Math.Exp(-Math.Abs(samples[i] - samples[j]));
            }
        }
        Assert.True(Math.Abs(VendiScore.FromSimilarity(laplace) - 2.9999) < 1e-4, $"{VendiScore.FromSimilarity(laplace)}");
    }

    [Fact]
    public void VendiScoreRangesFromOneForIdenticalToCountForUnrelatedSamples()
    {
        var same = new double[4, 4];
        var unrelated = new double[4, 4];
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                same[i, j] = 1;
                unrelated[i, j] = i == j ? 1 : 0;
            }
        }
        Assert.Equal(1.0, VendiScore.FromSimilarity(same), 9);
        Assert.Equal(4.0, VendiScore.FromSimilarity(unrelated), 9);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(17)]
    [InlineData(120)]
    public void EigenvaluesKeepTheTraceAndFrobeniusNorm(int n)
    {
        var random = new Random(n);
        var matrix = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                matrix[i, j] = matrix[j, i] = random.NextDouble() * 2 - 1;
            }
        }
        var values = SymmetricEigen.Eigenvalues(matrix);
        double trace = Enumerable.Range(0, n).Sum(i => matrix[i, i]);
        double frobenius = matrix.Cast<double>().Sum(v => v * v);
        Assert.Equal(trace, values.Sum(), 9);
        Assert.Equal(frobenius, values.Sum(v => v * v), 8);
    }

    [Fact]
    public void EigenvaluesOfAKnownMatrix()
    {
        // [[2,1],[1,2]] has eigenvalues 1 and 3.
        var values = SymmetricEigen.Eigenvalues(new double[,] { { 2, 1 }, { 1, 2 } }).OrderBy(v => v).ToArray();
        Assert.Equal(1, values[0], 12);
        Assert.Equal(3, values[1], 12);
    }

    [Fact]
    public void SsimAndMsSsimOfAnImageWithItselfAreOneAndFallWithNoise()
    {
        var image = Noise(1, 128, 0.2f);
        var ssim = new StructuralSimilarity(multiScale: false);
        var msSsim = new StructuralSimilarity(multiScale: true);
        Assert.Equal(1.0, ssim.Similarity(image, image), 5);
        Assert.Equal(1.0, msSsim.Similarity(image, image), 5);

        var slightly = Add(image, Noise(2, 128, 0.02f));
        var strongly = Add(image, Noise(3, 128, 0.2f));
        Assert.True(ssim.Similarity(image, slightly) > ssim.Similarity(image, strongly));
        Assert.True(msSsim.Similarity(image, slightly) > msSsim.Similarity(image, strongly));
        Assert.True(ssim.Similarity(image, strongly) < 0.9);
    }

    [Fact]
    public void RmsOfBlackAgainstWhiteIsOne()
    {
        var black = new UnitImage(16, 16, new float[16 * 16 * 3]);
        var white = new UnitImage(16, 16, Enumerable.Repeat(1f, 16 * 16 * 3).ToArray());
        Assert.Equal(1.0, PixelDistance.Rms(black, white), 6);
        Assert.Equal(0.0, PixelDistance.Rms(white, white));
    }

    [Fact]
    public void EveryMetricGivesASymmetricMatrixWithAZeroDiagonal()
    {
        var images = Enumerable.Range(0, 6).Select(i => Noise(i, 64, 0.25f)).ToList();
        using var embedder = ImageEmbedder.Open(TestEngine.Shared, new EmbeddingOptions { ModelPath = DemoPair.Paths.EmbeddingModel });
        IDistanceMetric[] metrics = { new RmsDistance(), new StructuralSimilarity(false), new StructuralSimilarity(true), new EmbeddingDistance(embedder) };
        foreach (var metric in metrics)
        {
            var matrix = metric.Compute(images, null, CancellationToken.None);
            for (int i = 0; i < images.Count; i++)
            {
                Assert.Equal(0, matrix[i, i]);
                for (int j = 0; j < images.Count; j++)
                {
                    Assert.Equal(matrix[i, j], matrix[j, i]);
                    if (i != j)
                    {
                        Assert.True(matrix[i, j] > 0, $"{metric.Metric}: distinct noise images should have a positive distance");
                    }
                }
            }
        }
    }

    [Fact]
    public void MatricesDoNotDependOnThreadingAndMatchPairByPairDistances()
    {
        var images = Enumerable.Range(0, 20).Select(i => Noise(i, 32, 0.3f)).ToList();
        var first = new RmsDistance().Compute(images, null, CancellationToken.None);
        var second = new RmsDistance().Compute(images, null, CancellationToken.None);
        Assert.Equal(first.ToArray(), second.ToArray());
        Assert.Equal(PixelDistance.Rms(images[3], images[17]), first[3, 17]);
    }

    [Fact]
    public void BootstrapIntervalIsReproducibleAndBracketsTheMean()
    {
        var matrix = new RmsDistance().Compute(Enumerable.Range(0, 12).Select(i => Noise(i, 16, 0.1f + 0.02f * i)).ToList(), null, CancellationToken.None);
        var mean = PairwiseStatistics.Of(matrix).Mean;
        var a = BootstrapInterval.MeanPairwise(matrix, 500, seed: 7);
        var b = BootstrapInterval.MeanPairwise(matrix, 500, seed: 7);
        var c = BootstrapInterval.MeanPairwise(matrix, 500, seed: 8);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.True(a.Low < mean && mean < a.High, $"{a.Low} < {mean} < {a.High}");
    }

    [Fact]
    public void ResamplingKeepsFlatImagesFlatAndAveragesWhenShrinking()
    {
        var grey = new UnitImage(30, 20, Enumerable.Repeat(0.4f, 30 * 20 * 3).ToArray());
        foreach (var filter in Enum.GetValues<ResizeFilter>())
        {
            Assert.All(ImageResampler.Resize(grey, 64, 48, filter).Values, v => Assert.Equal(0.4f, v, 5));
            Assert.All(ImageResampler.Resize(grey, 7, 5, filter).Values, v => Assert.Equal(0.4f, v, 5));
        }
        // A one-pixel checkerboard shrunk by 2 becomes its average, not an aliased copy.
        var checker = new UnitImage(8, 8, Enumerable.Range(0, 8 * 8 * 3).Select(i => (i / 3 % 8 + i / 3 / 8) % 2 == 0 ? 1f : 0f).ToArray());
        Assert.All(ImageResampler.Resize(checker, 4, 4, ResizeFilter.Bilinear).Values, v => Assert.Equal(0.5f, v, 1));
    }

    internal static UnitImage Noise(long seed, int size, float amplitude)
    {
        var values = new float[size * size * 3];
        new GaussianNoise(seed).Fill(values, amplitude);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Math.Clamp(values[i] + 0.5f, 0f, 1f);
        }
        return new UnitImage(size, size, values);
    }

    private static UnitImage Add(UnitImage a, UnitImage noise) =>
        new(a.Width, a.Height, a.Values.Zip(noise.Values, (x, n) => Math.Clamp(x + n - 0.5f, 0f, 1f)).ToArray());
}
