using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Imaging;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Core.Imaging;
using HybridDiffusion.Demo;
using HybridDiffusion.Tests.Analysis.Diversity;

namespace HybridDiffusion.Tests.Demo;

/// <summary>
/// Samples of the demo pair's true distribution: the scenes a prompt leaves with the weights its base UNet models, the
/// pictures the generating modes end on, written deterministically, and the CLI verb that writes them.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class DemoReferenceTests
{
    [Theory]
    [InlineData("a red circle", 2)]
    [InlineData("a crimson ball", 2)]
    [InlineData("a red shape", 6)]
    [InlineData("a small red circle", 1)]
    [InlineData("a photo", 24)]
    [InlineData("", 24)]
    [InlineData("a clock", 6)] // the clocks, rare in the prior, only when asked for
    public void APromptKeepsTheScenesThatMatchMostOfItsWordsNearlyEquallyLikely(string prompt, int scenes)
    {
        var weights = DemoReference.Scenes(prompt);
        Assert.Equal(scenes, weights.Count);
        Assert.Equal(1, weights.Sum(s => s.Probability), 9);
        // Prior weights differ by 0.01 nats from rank to rank: at most 23 ranks apart, e^0.23 < 1.26.
        Assert.InRange(weights[0].Probability / weights[^1].Probability, 1, 1.26);
        var words = prompt.Replace("crimson", "red").Replace("ball", "circle").Split(' ');
        Assert.All(weights, s => Assert.All(words.Where(w => w is "red" or "circle" or "small"), w => Assert.Contains(w, s.Scene)));
    }

    [Fact]
    public void TheSamplesAreTheScenesTheModelsEndOnWrittenTheSameForTheSameSeed()
    {
        using var folder = new TempFolder();
        var paths = DemoReference.Write(TestEngine.Shared, DemoPair.Paths.BaseModel, "a red circle", 40, 7, folder["a"]);
        var again = DemoReference.Write(TestEngine.Shared, DemoPair.Paths.BaseModel, "a red circle", 40, 7, folder["b"]);
        Assert.Equal(40, paths.Count);
        Assert.Equal(paths.Select(File.ReadAllBytes), again.Select(File.ReadAllBytes));
        var decoded = paths.Select(PngDecoder.Decode).ToList();
        Assert.All(decoded, d => Assert.Equal("Reference", d.Text["Mode"]));
        var pictures = decoded.GroupBy(d => d.Text["Scene"]).ToDictionary(g => g.Key, g => g.First().Image);
        Assert.Equal(new[] { "large red circle", "small red circle" }, pictures.Keys.Order());

        // The distilled model (one scene whatever the seed) ends on one of them exactly; the base model's 50 steps on
        // both, each within a rounding step of a pixel.
        var distilled = DemoPair.Generate("a red circle", GenerationMode.Distilled, new[] { 0L }).Single().Image;
        Assert.Contains(pictures.Values, p => p.GetPixels().SequenceEqual(distilled.GetPixels()));
        var baseImages = DemoPair.Generate("a red circle", GenerationMode.Base, Enumerable.Range(0, 12).Select(i => (long)i));
        var nearest = baseImages.Select(image => pictures.Values.Select(p => MaxDifference(p, image.Image)).Min()).ToList();
        Assert.All(nearest, d => Assert.InRange(d, 0, 2));
        var scenesHit = baseImages.Select(image => pictures.Single(p => MaxDifference(p.Value, image.Image) <= 2).Key).Distinct().Count();
        Assert.Equal(2, scenesHit);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(DemoReference.MaxCount + 1)]
    public void ACountOutsideItsRangeIsRefusedBeforeAnyFile(int count)
    {
        using var folder = new TempFolder();
        var refused = Assert.Throws<HybridDiffusionException>(() => DemoReference.Write(TestEngine.Shared, DemoPair.Paths.BaseModel, "a red circle", count, 0, folder["out"]));
        Assert.Equal(SettingId.Count, refused.Setting);
        Assert.False(Directory.Exists(folder["out"]));
    }

    [Fact]
    public async Task TheCliWritesTheReferenceAndSaysWhichScenesItHolds()
    {
        using var folder = new TempFolder();
        var (code, output, errors) = await DiversityInputTests.Cli("demo", "reference", "a red circle", "--count", "5", "--output", folder["ref"]);
        Assert.True(code == 0, errors);
        Assert.Contains("Wrote 5 samples of the true distribution of 'a red circle' (large red circle 51.2 %, small red circle 48.8 %)", output);
        Assert.Equal(5, Directory.GetFiles(folder["ref"], "*.png").Length);
        (code, _, errors) = await DiversityInputTests.Cli("demo", "reference", "a red circle", "--count", "0", "--output", folder["none"]);
        Assert.Equal(2, code);
        Assert.Contains("--count: Write 1 to 100000 reference images; got 0.", errors);
    }

    private static int MaxDifference(RgbImage a, RgbImage b) =>
        a.GetPixels().Zip(b.GetPixels(), (x, y) => Math.Abs(x - y)).Max();
}
