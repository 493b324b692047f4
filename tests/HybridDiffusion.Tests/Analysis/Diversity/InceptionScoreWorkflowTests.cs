using System.Text.Json;
using HybridDiffusion.Analysis.Diversity;
using HybridDiffusion.Contracts.Imaging;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Core.Imaging;
using HybridDiffusion.Core.Onnx;
using DataType = Microsoft.ML.OnnxRuntime.Tensors.TensorElementType;

namespace HybridDiffusion.Tests.Analysis.Diversity;

/// <summary>
/// The Inception Score of each group from a classifier ONNX model, through the workflow and the CLI: a fixture classifier
/// whose logits are known for solid-colour images (10 × the mean of each channel) gives the score worked out by hand.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class InceptionScoreWorkflowTests
{
    private const float Gain = 10f;

    [Theory]
    [InlineData(10)]
    [InlineData(50)]
    public void TheScoreIsTheClosedFormOfTheFixtureClassifiersKnownLogits(int perColour)
    {
        using var folder = new TempFolder();
        var model = WriteClassifier(folder);
        // Red and blue alternate, so every split of ten holds five of each.
        var samples = Enumerable.Range(0, 2 * perColour).Select(i => new DiversitySample($"{i}", Solid(i % 2 == 0 ? (255, 0, 0) : (0, 0, 255)),
            new Dictionary<string, string> { ["Prompt"] = "two colours" })).ToList();

        var outcome = DiversityAnalyzer.Measure(TestEngine.Shared, new DiversityRequest { Inception = new EmbeddingOptions { ModelPath = model } }, samples);

        var score = Assert.Single(outcome.InceptionScores);
        Assert.Equal(2 * perColour, score.Count);
        Assert.Equal(Math.Min(10, 2 * perColour / 10), score.Splits);
        Assert.Equal(2 * perColour / score.Splits, score.SplitSize);
        // p(y|x) is (a, b, b) for red and (b, b, a) for blue, a = e^g / (e^g + 2), b = 1 / (e^g + 2); the marginal of a
        // half-and-half split is (m, b, m) with m = (a + b) / 2, so each image's KL is a·ln(a/m) + b·ln(b/m).
        double a = Math.Exp(Gain) / (Math.Exp(Gain) + 2), b = 1 / (Math.Exp(Gain) + 2), m = (a + b) / 2;
        Assert.Equal(Math.Exp(a * Math.Log(a / m) + b * Math.Log(b / m)), score.Mean, 9);
        Assert.Equal(0, score.StandardDeviation, 9);
    }

    [Fact]
    public async Task TheCliPrintsTheScoreAsATableAndAsJson()
    {
        using var folder = new TempFolder();
        var model = WriteClassifier(folder);
        var images = folder["images"];
        Directory.CreateDirectory(images);
        for (int i = 0; i < 20; i++)
        {
            var colour = (i % 3) switch { 0 => (255, 0, 0), 1 => (0, 255, 0), _ => (0, 0, 255) };
            File.WriteAllBytes(Path.Combine(images, $"{i:D2}.png"), PngEncoder.Encode(Solid(colour), new[] { new KeyValuePair<string, string>("Prompt", "three colours") }));
        }

        var (code, output, errors) = await DiversityInputTests.Cli("diversity", images, "--inception-model", model);
        Assert.True(code == 0, errors);
        Assert.Contains("Inception Score", output);
        Assert.Contains("2 × 10", output);

        (code, output, errors) = await DiversityInputTests.Cli("diversity", images, "--inception-model", model, "--json");
        Assert.True(code == 0, errors);
        var score = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
            .Single(r => r.GetProperty("metric").GetString() == "inception-score");
        Assert.Equal("three colours", score.GetProperty("group").GetString());
        Assert.Equal(2, score.GetProperty("splits").GetInt32());
        // Three confident classes spread almost evenly over each split: just under 3.
        Assert.InRange(score.GetProperty("mean").GetDouble(), 2.8, 3.0);
    }

    [Fact]
    public async Task AClassifierThatIsMissingOrNotAnImageModelIsNamedAsTheInceptionModel()
    {
        using var folder = new TempFolder();
        var images = folder["images"];
        Directory.CreateDirectory(images);
        foreach (var (name, colour) in new[] { ("red", (255, 0, 0)), ("blue", (0, 0, 255)) })
        {
            File.WriteAllBytes(Path.Combine(images, name + ".png"), PngEncoder.Encode(Solid(colour), new[] { new KeyValuePair<string, string>("Prompt", "colours") }));
        }
        var unet = Path.Combine(DemoPair.Paths.BaseModel, "unet", "model.onnx");

        foreach (var (model, expected) in new[]
        {
            (folder["missing.onnx"], $"hybrid: error: Inception model '{folder["missing.onnx"]}' does not exist."),
            (unet, $"hybrid: error: Inception model '{unet}' has 3 inputs"),
        })
        {
            var (code, _, errors) = await DiversityInputTests.Cli("diversity", images, "--inception-model", model);
            Assert.True(code == 1, $"{model}: exit {code}: {errors}");
            Assert.StartsWith(expected, errors.Trim());
        }
    }

    // pixel_values [batch, 3, 8, 8] → channel means [batch, 3] → logits = gain × means over three classes. The variation
    // directions' tests read it as an embedding model with known features (gain 1: the channel means themselves).
    internal static string WriteClassifier(TempFolder folder, float gain = Gain)
    {
        var g = new OnnxGraphBuilder("fixture_classifier");
        var input = g.Input("pixel_values", DataType.Float, "batch", 3, 8, 8);
        var pooled = g.Node("AveragePool", new[] { input }, ("kernel_shape", new long[] { 8, 8 }));
        var means = g.Node("Flatten", new[] { pooled }, ("axis", 1L));
        var weights = new float[9];
        for (int c = 0; c < 3; c++)
        {
            weights[c * 3 + c] = gain;
        }
        g.Alias(g.Node("MatMul", new[] { means, g.Initializer("classifier.weight", weights, 3, 3) }), "logits");
        g.Output("logits", DataType.Float, "batch", 3);
        var path = folder["classifier.onnx"];
        File.WriteAllBytes(path, g.ToBytes());
        return path;
    }

    internal static RgbImage Solid((int R, int G, int B) colour)
    {
        var pixels = new byte[16 * 16 * 3];
        for (int i = 0; i < pixels.Length; i += 3)
        {
            (pixels[i], pixels[i + 1], pixels[i + 2]) = ((byte)colour.R, (byte)colour.G, (byte)colour.B);
        }
        return new RgbImage(16, 16, pixels);
    }
}
