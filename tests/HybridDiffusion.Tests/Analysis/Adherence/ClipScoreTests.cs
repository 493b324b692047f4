using HybridDiffusion.Analysis.Adherence;
using HybridDiffusion.Analysis.Diversity;
using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Diversity;
using HybridDiffusion.Contracts.Imaging;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Core.Imaging;
using HybridDiffusion.Core.Onnx;
using HybridDiffusion.Core.Text;
using HybridDiffusion.Demo;
using DataType = Microsoft.ML.OnnxRuntime.Tensors.TensorElementType;

namespace HybridDiffusion.Tests.Analysis.Adherence;

/// <summary>
/// CLIP score = 100·max(cos(image embedding, prompt embedding), 0) from small CLIP-shaped ONNX pairs built here, whose
/// embeddings are known by hand: the image model maps an image's mean colour (after the Clip preset's normalisation)
/// through a 3×D matrix, the text model sums one row per real token (attention mask applied).
/// </summary>
public sealed class ClipScoreTests
{
    private static readonly string[] s_words = { "red", "blue", "circle" };

    // Rows of the text model's table for the words (every other token, BOS and EOS included, has a zero row).
    private static readonly double[][] s_wordRows = { new[] { 1.0, 0, 0, 0.5 }, new[] { 0, 0, 1.0, 0.5 }, new[] { 0, 1.0, 0, 0 } };

    // The image model's 3×D projection of the normalised mean colour.
    private static readonly double[,] s_projection = { { 1, 0, 0, 0.2 }, { 0, 0.5, 0, 0.1 }, { 0, 0, 1, -0.3 } };

    // The image model sees the image after a float32 bicubic resize to 224: a uniform colour stays uniform to about 1e-5.
    private const double Tolerance = 0.01;

    [Theory]
    [InlineData("red circle", 230, 40, 30)]
    [InlineData("blue", 40, 60, 240)]
    [InlineData("red", 40, 60, 240)]
    [InlineData("blue circle red", 128, 128, 128)]
    [InlineData("circle", 255, 255, 255)]
    public void TheScoreIsAHundredTimesTheCosineOfTheTwoEmbeddingsFloorAtZero(string prompt, byte r, byte g, byte b)
    {
        using var folder = new TempFolder();
        var (image, text) = WritePair(folder, textDimensions: 4);
        var pixels = new RgbImage(32, 32, Enumerable.Range(0, 32 * 32).SelectMany(_ => new[] { r, g, b }).ToArray());

        using var judge = ClipScoreJudge.Open(TestEngine.Shared, Options(image), text, TestEngine.Shared.Log);
        var score = Assert.Single(judge.Judge(new[] { pixels }, new[] { prompt }, CancellationToken.None)).Score;

        Assert.Equal(Expected(prompt, r, g, b), score, Tolerance);
    }

    [Fact]
    public void OnePromptIsScoredAgainstEachImageAndTheWorkflowAveragesEachPromptsImages()
    {
        using var folder = new TempFolder();
        var (image, text) = WritePair(folder, textDimensions: 4);
        var colours = new (byte R, byte G, byte B)[] { (230, 40, 30), (40, 60, 240), (200, 200, 40) };
        var request = new AdherenceRequest { ClipImage = Options(image), ClipTextModel = text };
        var workflow = new AdherenceWorkflow(TestEngine.Shared, request, junitPath: null, _ => throw new InvalidOperationException("not the demo"));
        foreach (var (colour, i) in colours.Select((c, i) => (c, i)))
        {
            var path = folder[$"{i}.png"];
            File.WriteAllBytes(path, PngEncoder.Encode(new RgbImage(16, 16, Enumerable.Range(0, 256).SelectMany(_ => new[] { colour.R, colour.G, colour.B }).ToArray()),
                new Dictionary<string, string> { ["Prompt"] = i < 2 ? "red circle" : "blue" }));
        }
        Assert.Empty(workflow.AddPaths(new[] { folder.Path }));

        var outcome = workflow.Measure();

        Assert.Empty(outcome.Problems);
        Assert.Equal(new[] { "red circle", "blue" }, outcome.Reports.Select(r => r.Group));
        var red = outcome.Reports[0];
        Assert.Equal((Expected("red circle", 230, 40, 30) + Expected("red circle", 40, 60, 240)) / 2, red.Mean, Tolerance);
        Assert.Equal(Expected("blue", 200, 200, 40), outcome.Reports[1].Images.Single().Score, Tolerance);
    }

    [Fact]
    public void ATextModelOfAnotherWidthIsRefusedNamingBothWidths()
    {
        using var folder = new TempFolder();
        var (image, text) = WritePair(folder, textDimensions: 5);
        using var judge = ClipScoreJudge.Open(TestEngine.Shared, Options(image), text, TestEngine.Shared.Log);
        var error = Assert.Throws<HybridDiffusionException>(() => judge.Judge(new[] { new RgbImage(8, 8, new byte[192]) }, new[] { "red" }, CancellationToken.None));
        Assert.Equal(HybridErrorKind.UnsupportedModel, error.Kind);
        Assert.Contains("4-dimensional", error.Message);
        Assert.Contains("5-dimensional", error.Message);
    }

    [Fact]
    public void ATextModelWithoutTextEmbedsOrOfTheWrongShapeIsNamedClearly()
    {
        using var folder = new TempFolder();
        var (image, _) = WritePair(folder, textDimensions: 4);
        var bare = folder["bare.onnx"];
        File.WriteAllBytes(bare, TextModel(4, "last_hidden_state", perToken: true));
        var error = Assert.Throws<HybridDiffusionException>(() => ClipScoreJudge.Open(TestEngine.Shared, Options(image), bare, TestEngine.Shared.Log));
        Assert.Equal(HybridErrorKind.UnsupportedModel, error.Kind);
        Assert.Contains("has no text_embeds output", error.Message);
        Assert.Contains("last_hidden_state", error.Message);

        var perToken = folder["per-token.onnx"];
        File.WriteAllBytes(perToken, TextModel(4, "text_embeds", perToken: true));
        using var judge = ClipScoreJudge.Open(TestEngine.Shared, Options(image), perToken, TestEngine.Shared.Log);
        error = Assert.Throws<HybridDiffusionException>(() => judge.Judge(new[] { new RgbImage(8, 8, new byte[192]) }, new[] { "red" }, CancellationToken.None));
        Assert.Contains("expected float32 [batch, D]", error.Message);

        error = Assert.Throws<HybridDiffusionException>(() => ClipScoreJudge.Open(TestEngine.Shared, Options(image), folder["missing.onnx"], TestEngine.Shared.Log));
        Assert.Equal(HybridErrorKind.ModelNotFound, error.Kind);
    }

    private static EmbeddingOptions Options(string image) => new() { ModelPath = image, Preset = EmbeddingPreset.Clip };

    private static double Expected(string prompt, byte r, byte g, byte b)
    {
        var preprocessing = EmbeddingPreprocessing.For(EmbeddingPreset.Clip);
        var colour = new[] { r, g, b }.Select((v, c) => (v / 255.0 - preprocessing.Mean[c]) / preprocessing.Std[c]).ToArray();
        var imageEmbedding = Enumerable.Range(0, 4).Select(d => Enumerable.Range(0, 3).Sum(c => colour[c] * s_projection[c, d])).ToArray();
        // The end-of-text token is a real token (the mask keeps it) and doubles as the padding token, whose row is (7, 0, 0, 0).
        var textEmbedding = new double[] { 7, 0, 0, 0 };
        foreach (var word in prompt.Split(' '))
        {
            var row = s_wordRows[Array.IndexOf(s_words, word)];
            for (int d = 0; d < 4; d++)
            {
                textEmbedding[d] += row[d];
            }
        }
        double dot = imageEmbedding.Zip(textEmbedding, (x, y) => x * y).Sum();
        double cosine = dot / Math.Sqrt(imageEmbedding.Sum(x => x * x) * textEmbedding.Sum(x => x * x));
        return 100 * Math.Max(cosine, 0);
    }

    /// <summary>Writes image.onnx and text.onnx with the tokenizer files beside them.</summary>
    internal static (string Image, string Text) WritePair(TempFolder folder, int textDimensions)
    {
        DemoVocabulary.Build(s_words).WriteTo(folder.Path);
        var image = new OnnxGraphBuilder("clip_vision");
        var pixels = image.Input("pixel_values", DataType.Float, "batch", 3, 224, 224);
        var mean = image.Node("Flatten", new[] { image.Node("GlobalAveragePool", new[] { pixels }) }, ("axis", 1L));
        var projection = Enumerable.Range(0, 12).Select(i => (float)s_projection[i / 4, i % 4]).ToArray();
        image.Alias(image.Node("MatMul", new[] { mean, image.Initializer("visual_projection.weight", projection, 3, 4) }), "image_embeds");
        image.Output("image_embeds", DataType.Float, "batch", 4);
        File.WriteAllBytes(folder["image.onnx"], image.ToBytes());
        File.WriteAllBytes(folder["text.onnx"], TextModel(textDimensions, "text_embeds", perToken: false, ClipTokenizer.Load(folder.Path)));
        return (folder["image.onnx"], folder["text.onnx"]);
    }

    /// <summary>input_ids + attention_mask → Σ over unmasked tokens of the word rows ([batch, D]), or the rows per token ([batch, 77, D]).</summary>
    internal static byte[] TextModel(int dimensions, string output, bool perToken, ClipTokenizer? tokenizer = null)
    {
        int vocabulary = tokenizer?.VocabularySize ?? 1024;
        var table = new float[vocabulary * dimensions];
        if (tokenizer is null)
        {
            // Without the words' rows every token carries the same row, so any prompt has a non-zero embedding.
            Array.Fill(table, 0.5f);
        }
        for (int w = 0; tokenizer is not null && w < s_words.Length; w++)
        {
            int id = tokenizer.Tokenize(s_words[w]).Single();
            for (int d = 0; d < Math.Min(dimensions, 4); d++)
            {
                table[id * dimensions + d] = (float)s_wordRows[w][d];
            }
        }
        // The padding token gets a row of its own, so a mask that let padding through would change every score.
        int pad = tokenizer?.PadId ?? 0;
        table[pad * dimensions] += 7f;
        var g = new OnnxGraphBuilder("clip_text");
        var ids = g.Input("input_ids", DataType.Int64, "batch", 77);
        var mask = g.Input("attention_mask", DataType.Int64, "batch", 77);
        var rows = g.Node("Mul", new[]
        {
            g.Node("Gather", new[] { g.Initializer("text_model.embeddings.token_embedding.weight", table, vocabulary, dimensions), ids }, ("axis", 0L)),
            g.Node("Unsqueeze", new[] { g.Node("Cast", new[] { mask }, ("to", (long)DataType.Float)), g.Ints(2) }),
        });
        g.Alias(perToken ? rows : g.Node("ReduceSum", new[] { rows, g.Ints(1) }, ("keepdims", 0L)), output);
        if (perToken)
        {
            g.Output(output, DataType.Float, "batch", 77, dimensions);
        }
        else
        {
            g.Output(output, DataType.Float, "batch", dimensions);
        }
        return g.ToBytes();
    }
}
