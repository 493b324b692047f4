using HybridDiffusion.Analysis.Diversity.Distribution;
using HybridDiffusion.Contracts;

namespace HybridDiffusion.Tests.Analysis.Diversity.Distribution;

/// <summary>
/// The Inception Score of fixture classifiers with known logits: uniform (1), one confident class each, spread evenly
/// (the number of classes), a hand-worked pair, splits that differ (their standard deviation), and too few images.
/// </summary>
public sealed class InceptionScoreTests
{
    [Theory]
    [InlineData(10, 10)]
    [InlineData(1000, 10)]
    [InlineData(50, 1)]
    public void UniformPredictionsScoreOne(int images, int splits)
    {
        var logits = Enumerable.Range(0, images).Select(i => Enumerable.Repeat((float)i, 7).ToArray()).ToList();
        var score = InceptionScore.FromLogits(logits, splits);
        Assert.Equal(1, score.Mean, 12);
        Assert.Equal(0, score.StandardDeviation, 12);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(10)]
    [InlineData(1000)]
    public void DistinctConfidentClassesScoreTheNumberOfClasses(int classes)
    {
        // Each split holds every class once; a logit 1000 above the rest is a one-hot prediction in double.
        var logits = Enumerable.Range(0, classes * 10).Select(i =>
        {
            var row = new float[classes];
            row[i % classes] = 1000;
            return row;
        }).ToList();
        var score = InceptionScore.FromLogits(logits, splits: 10);
        Assert.Equal(classes, score.Mean, 9);
        Assert.Equal(0, score.StandardDeviation, 9);
        Assert.Equal(classes, score.PartSize);
    }

    [Fact]
    public void AHandWorkedPair()
    {
        // p = (½, ½) and (1, 0): marginal (¾, ¼); KL = ½·ln(4/3) and ln(4/3); IS = exp(¾·ln(4/3)) = (4/3)^¾.
        var logits = new List<float[]> { new float[] { 0, 0 }, new float[] { 0, -1000 } };
        Assert.Equal(Math.Pow(4.0 / 3, 0.75), InceptionScore.FromLogits(logits, splits: 1).Mean, 12);
    }

    [Fact]
    public void SplitsThatDifferGiveTheirStandardDeviation()
    {
        // First split: 4 classes once each (IS 4); second: one class throughout (IS 1). Mean 2.5, population std 1.5.
        var logits = Enumerable.Range(0, 8).Select(i =>
        {
            var row = new float[4];
            row[i < 4 ? i : 0] = 1000;
            return row;
        }).ToList();
        var score = InceptionScore.FromLogits(logits, splits: 2);
        Assert.Equal(2.5, score.Mean, 9);
        Assert.Equal(1.5, score.StandardDeviation, 9);
    }

    [Fact]
    public void TooFewImagesOrOddRowsAreRefused()
    {
        var few = Assert.Throws<HybridDiffusionException>(() => InceptionScore.FromLogits(Enumerable.Repeat(new float[] { 1, 2 }, 5).ToList()));
        Assert.Equal(HybridErrorKind.InvalidArgument, few.Kind);
        Assert.Contains("at least 10 images", few.Message);
        Assert.Contains("empty", Assert.Throws<HybridDiffusionException>(() => InceptionScore.FromLogits(new List<float[]>())).Message);
        var ragged = Assert.Throws<HybridDiffusionException>(() => InceptionScore.FromLogits(new List<float[]> { new float[] { 1, 2 }, new float[] { 1, 2, 3 } }, 1));
        Assert.Equal(HybridErrorKind.InvalidModel, ragged.Kind);
    }
}
