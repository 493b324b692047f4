using HybridDiffusion.Contracts.Imaging;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Demo;

namespace HybridDiffusion.Tests.Demo;

/// <summary>
/// The demo pair's exact adherence measure on images the demo makes itself: the scene each image shows, whether its
/// prompt asks for it, and "none" for a picture that is no scene.
/// </summary>
public sealed class DemoAdherenceTests
{
    private static readonly Lazy<DemoAdherenceJudge> s_judge = new(() => DemoAdherenceJudge.Open(DemoPair.Paths));

    private static DemoAdherenceJudge Judge => s_judge.Value;

    [Theory]
    [InlineData("a red circle", new[] { "small red circle", "large red circle" })]
    [InlineData("a big blue box", new[] { "large blue square" })]
    [InlineData("a photo of a tiny golden pyramid", new[] { "small yellow triangle" })]
    [InlineData("a green shape", new[] { "small green circle", "large green circle", "small green square", "large green square", "small green triangle", "large green triangle" })]
    // Two colours: the red and the blue circles match two words each, every other scene fewer.
    [InlineData("a red or blue ball", new[] { "small red circle", "large red circle", "small blue circle", "large blue circle" })]
    // A word said twice counts twice, as the text encoder sums its tokens: red circles (3) beat red squares (2).
    [InlineData("a red circle, a round square", new[] { "small red circle", "large red circle" })]
    [InlineData("an old clock", new[] { "clock at 12 o'clock", "clock at 2 o'clock", "clock at 4 o'clock", "clock at 6 o'clock", "clock at 8 o'clock", "clock at 10 o'clock" })]
    public void APromptAsksForTheScenesThatMatchTheMostOfItsWords(string prompt, string[] expected)
    {
        Assert.Equal(expected.OrderBy(s => s), Judge.ScenesAskedFor(prompt).OrderBy(s => s));
    }

    [Fact]
    public void APromptWithoutSteeringWordsAsksForEveryScene()
    {
        Assert.Equal(24 + 6, Judge.ScenesAskedFor("a photo of a shape").Count); // the shapes and the clocks
    }

    [Theory]
    [InlineData("a red circle")]
    [InlineData("a small blue square")]
    [InlineData("a large yellow triangle")]
    [InlineData("a green shape")]
    public void BaseImagesOfAPromptShowTheScenesItAsksFor(string prompt)
    {
        var images = DemoPair.Generate(prompt, GenerationMode.Base, Enumerable.Range(0, 12).Select(i => (long)i));
        var judgements = Judge.Judge(images.Select(i => i.Image).ToList(), images.Select(_ => prompt).ToList(), CancellationToken.None);

        var asked = Judge.ScenesAskedFor(prompt);
        Assert.All(judgements, j => Assert.Contains(j.Scene, asked));
        Assert.All(judgements, j => Assert.Equal(1, j.Score));
    }

    [Fact]
    public void AnImageOfAnotherPromptsSceneIsOffThePrompt()
    {
        var squares = DemoPair.Generate("a blue square", GenerationMode.Distilled, new[] { 0L, 1L, 2L });
        var judgements = Judge.Judge(squares.Select(i => i.Image).ToList(), squares.Select(_ => "a red circle").ToList(), CancellationToken.None);

        Assert.All(judgements, j => Assert.EndsWith("blue square", j.Scene));
        Assert.All(judgements, j => Assert.Equal(0, j.Score));
    }

    [Fact]
    public void AnImageThatIsNoSceneShowsNoneAndIsOffEveryPrompt()
    {
        var grey = new RgbImage(128, 128, Enumerable.Repeat((byte)128, 128 * 128 * 3).ToArray());
        var circle = DemoPair.Generate("a red circle", GenerationMode.Distilled, new[] { 0L })[0].Image;
        // Halfway between a scene and plain grey is further than half the distance between the two nearest scenes.
        var blend = new RgbImage(128, 128, circle.GetPixels().Zip(grey.GetPixels(), (a, b) => (byte)((a + b) / 2)).ToArray());

        foreach (var image in new[] { grey, blend })
        {
            var judgement = Assert.Single(Judge.Judge(new[] { image }, new[] { "a photo of a shape" }, CancellationToken.None));
            Assert.Equal(DemoAdherenceJudge.NoScene, judgement.Scene);
            Assert.Equal(0, judgement.Score);
        }
        Assert.All(Judge.MatchRadius, radius => Assert.InRange(radius, 0.01, 0.5));
    }

    [Theory]
    [InlineData(64)]
    [InlineData(256)]
    public void ImagesOfOtherSizesAreJudgedAsTheyLook(int size)
    {
        var settings = new GenerationSettings { Width = size, Height = size };
        var images = DemoPair.Generate("a large green triangle", GenerationMode.Base, new[] { 0L, 1L, 2L }, settings);
        var judgements = Judge.Judge(images.Select(i => i.Image).ToList(), images.Select(_ => "a large green triangle").ToList(), CancellationToken.None);
        Assert.All(judgements, j => Assert.Equal(("large green triangle", 1.0), (j.Scene, j.Score)));
    }
}
