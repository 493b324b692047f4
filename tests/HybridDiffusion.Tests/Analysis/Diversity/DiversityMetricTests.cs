using HybridDiffusion.Analysis.Diversity;
using HybridDiffusion.Contracts.Imaging;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Core.Imaging;
using HybridDiffusion.Core.Scheduling;

namespace HybridDiffusion.Tests.Analysis.Diversity;

/// <summary>The metric mathematics: REFERENCE.md's checks, identities, symmetry and reproducibility.</summary>
public sealed class DiversityMetricTests
{
    // A collapsed model's set is mostly copies: they are measured once, and the matrix is the one every pair gives.
    [Fact]
    public void CopiesAreMeasuredOnceAndGiveTheMatrixOfEveryPair()
    {
        var pictures = Enumerable.Range(0, 4).Select(i => Noise(i, 32, 0.2f)).ToList();
        var images = Enumerable.Range(0, 30).Select(i => pictures[i * 7 % 4])
            .Select(p => new UnitImage(p.Width, p.Height, (float[])p.Values.Clone())).ToList();
        foreach (var metric in new IDistanceMetric[] { new RmsDistance(), new StructuralSimilarity(multiScale: false) })
        {
            var direct = metric.Compute(images, null, CancellationToken.None).Matrix;
            var merged = IdenticalImages.Measure(metric, images, null, CancellationToken.None).Matrix;
            Assert.All(direct.Pairs(), p => Assert.Equal(p.Distance, merged[p.I, p.J], 12));
        }
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
            var matrix = metric.Compute(images, null, CancellationToken.None).Matrix;
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
        var first = new RmsDistance().Compute(images, null, CancellationToken.None).Matrix;
        var second = new RmsDistance().Compute(images, null, CancellationToken.None).Matrix;
        Assert.Equal(first.ToArray(), second.ToArray());
        Assert.Equal(PixelDistance.Rms(images[3], images[17]), first[3, 17]);
    }

    [Fact]
    public void BootstrapIntervalIsReproducibleAndBracketsTheMean()
    {
        var matrix = new RmsDistance().Compute(Enumerable.Range(0, 12).Select(i => Noise(i, 16, 0.1f + 0.02f * i)).ToList(), null, CancellationToken.None).Matrix;
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
