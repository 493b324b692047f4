using System.Text.Json;
using HybridDiffusion.Analysis.Diversity;
using HybridDiffusion.Cli;
using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Diversity;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Core.Imaging;
using HybridDiffusion.Demo;

namespace HybridDiffusion.Tests.Analysis.Diversity;

/// <summary>Bad input to the diversity tools: each case gets a specific message, and what can be measured still is.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class DiversityInputTests
{
    private static readonly Lazy<List<GeneratedImage>> s_images = new(() =>
        DemoPair.Generate("a square", GenerationMode.Base, Enumerable.Range(0, 4).Select(i => (long)i)));

    [Fact]
    public async Task CorruptAndNonPngFilesAreReportedAndTheRestMeasured()
    {
        using var folder = WritePngs();
        File.WriteAllBytes(folder["truncated.png"], File.ReadAllBytes(folder["0.png"])[..60]);
        File.WriteAllText(folder["notes.png"], "not an image");
        var ex = Assert.Throws<HybridDiffusionException>(() => DiversitySample.FromPng(folder["notes.png"]));
        Assert.Equal(HybridErrorKind.InvalidImage, ex.Kind);
        Assert.Contains("notes.png", ex.Message);

        var (code, output, errors) = await Cli("diversity", folder.Path, "--json");
        Assert.Equal(1, code);
        Assert.Contains("truncated.png", errors);
        Assert.Contains("notes.png", errors);
        using var report = JsonDocument.Parse(output.Trim());
        Assert.Equal(4, report.RootElement.GetProperty("count").GetInt32());
        Assert.Equal("a square", report.RootElement.GetProperty("group").GetString());
    }

    [Fact]
    public async Task TextFromFilesCannotColourTheTerminalOrForgeALineOfTheTable()
    {
        using var folder = new TempFolder();
        const string hostile = "x\u001b[31mRED\nhybrid: FAIL forged";
        var images = DemoPair.Generate("a square", GenerationMode.Base, new long[] { 0, 1 }, new GenerationSettings { Width = 64, Height = 64 });
        foreach (var image in images)
        {
            File.WriteAllBytes(folder[$"{image.Seed}.png"], PngEncoder.Encode(image.Image, new[] { new KeyValuePair<string, string>("Evil", hostile) }));
        }

        var (code, output, _) = await Cli("diversity", folder.Path, "--group-by", "Evil");

        Assert.Equal(0, code);
        Assert.DoesNotContain('\u001b', output);
        Assert.DoesNotContain(output.Split('\n'), line => line.StartsWith("hybrid: FAIL", StringComparison.Ordinal));
        Assert.Contains("x\\u001b[31mRED\\nhybrid: FAIL forged", output);
    }

    [Fact]
    public void MixedSizesAreResizedWithAWarning()
    {
        var small = DemoPair.Generate("a square", GenerationMode.Base, new long[] { 10, 11 }, new GenerationSettings { Width = 64, Height = 64 });
        var observer = new DiversityRecorder();
        var outcome = DiversityAnalyzer.Measure(TestEngine.Shared, new DiversityRequest { Metrics = new[] { DiversityMetric.Rms, DiversityMetric.Ssim } },
            s_images.Value.Concat(small).Select(DiversitySample.FromGenerated).ToList(), observer);
        Assert.Empty(outcome.Problems);
        Assert.All(outcome.Reports, r => Assert.Equal(6, r.Count));
        var warning = Assert.Single(observer.Warnings);
        Assert.Contains("128x128: 4", warning);
        Assert.Contains("64x64: 2", warning);
        Assert.Contains("resized to 128x128", warning);
    }

    [Fact]
    public void AGroupOfOneImageGetsAClearMessageNeverNaN()
    {
        var lonely = DemoPair.Generate("a circle", GenerationMode.Base, new long[] { 1 });
        var outcome = DiversityAnalyzer.Measure(TestEngine.Shared, new DiversityRequest { MinimumDistance = 0.01 },
            s_images.Value.Concat(lonely).Select(DiversitySample.FromGenerated).ToList());
        var report = Assert.Single(outcome.Reports);
        Assert.Equal("a square", report.Group);
        Assert.True(double.IsFinite(report.Mean) && double.IsFinite(report.Vendi));
        var problem = Assert.Single(outcome.Problems);
        Assert.Contains("'a circle' has 1 image", problem.Message);
        Assert.Contains("at least 2", problem.Message);
        Assert.False(outcome.Passed);
    }

    [Fact]
    public void AnEmbeddingModelWithTheWrongInputShapeIsNamedWithBothShapes()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder["grey.onnx"], DemoEmbedding.Build(channels: 1));
        var ex = Assert.Throws<HybridDiffusionException>(() => ImageEmbedder.Open(TestEngine.Shared, new EmbeddingOptions { ModelPath = folder["grey.onnx"] }));
        Assert.Contains("grey.onnx", ex.Message);
        Assert.Contains("'pixel_values' Float[?, 1, 64, 64]", ex.Message);
        Assert.Contains("[batch, 3, height, width]", ex.Message);

        var size = Assert.Throws<HybridDiffusionException>(() => ImageEmbedder.Open(TestEngine.Shared, new EmbeddingOptions { ModelPath = DemoPair.Paths.EmbeddingModel, Size = 224 }));
        Assert.Contains("[batch, 3, 224, 224]", size.Message);
        Assert.Contains("Float[?, 3, 64, 64]", size.Message);
    }

    [Fact]
    public void LayoutAndFixedBatchAreReadFromTheModel()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder["nhwc.onnx"], DemoEmbedding.Build(layout: TensorLayout.Nhwc));
        File.WriteAllBytes(folder["batch1.onnx"], DemoEmbedding.Build(fixedBatch: 1));
        var images = s_images.Value.Select(i => UnitImage.From(i.Image)).ToList();
        DistanceMatrix Matrix(string model)
        {
            using var embedder = ImageEmbedder.Open(TestEngine.Shared, new EmbeddingOptions { ModelPath = model, BatchSize = 3 });
            return new EmbeddingDistance(embedder).Compute(images, null, CancellationToken.None).Matrix;
        }
        var reference = Matrix(DemoPair.Paths.EmbeddingModel);
        foreach (var model in new[] { folder["nhwc.onnx"], folder["batch1.onnx"] })
        {
            var matrix = Matrix(model);
            Assert.All(reference.Pairs(), p => Assert.Equal(p.Distance, matrix[p.I, p.J], 5));
        }
        var wrongLayout = Assert.Throws<HybridDiffusionException>(() =>
            ImageEmbedder.Open(TestEngine.Shared, new EmbeddingOptions { ModelPath = folder["nhwc.onnx"], Layout = TensorLayout.Nchw }));
        Assert.Contains("Nhwc", wrongLayout.Message);
    }

    [Fact]
    public void EmbeddingsAreCachedPerImage()
    {
        var images = s_images.Value.Select(i => UnitImage.From(i.Image)).ToList();
        using var embedder = ImageEmbedder.Open(TestEngine.Shared, new EmbeddingOptions { ModelPath = DemoPair.Paths.EmbeddingModel, BatchSize = 2 });
        var first = embedder.Features(images, null, CancellationToken.None);
        var unit = embedder.Embed(images, null, CancellationToken.None);
        var again = embedder.Features(images.AsEnumerable().Reverse().ToList(), null, CancellationToken.None);
        // Same arrays back: served from the cache, not recomputed, whether cosine (Embed) or FID/KID (Features) asked first.
        Assert.All(first.Zip(again.Reverse()), p => Assert.Same(p.First, p.Second));
        // The cache keeps the model's own vectors (FID and KID need them); cosine gets them normalised on the way out.
        Assert.All(first, e => Assert.NotEqual(1f, System.Numerics.Tensors.TensorPrimitives.Norm<float>(e), 3));
        Assert.All(first.Zip(unit), p =>
        {
            Assert.Equal(1f, System.Numerics.Tensors.TensorPrimitives.Norm<float>(p.Second), 4);
            float norm = System.Numerics.Tensors.TensorPrimitives.Norm<float>(p.First);
            Assert.Equal(p.First.Select(v => v / norm), p.Second, (a, b) => Math.Abs(a - b) < 1e-6f);
        });
    }

    [Fact]
    public async Task TheCliGateExitsThreeAndWritesJUnit()
    {
        using var folder = WritePngs();
        var junit = folder["report.xml"];
        var (code, output, errors) = await Cli("diversity", folder["*.png"], "--minimum-distance", "0.9", "--junit", junit);
        Assert.Equal(3, code);
        Assert.Contains("FAIL", errors);
        Assert.Contains("below the minimum 0.9000", errors);
        Assert.Contains("a square", output);
        Assert.Contains("<failure", File.ReadAllText(junit));

        var (passing, _, _) = await Cli("diversity", folder.Path, "--minimum-distance", "0.01", "--minimum-vendi", "1");
        Assert.Equal(0, passing);
    }

    [Theory]
    [InlineData("--metric", "sharpness")]
    [InlineData("--metric", "embedding")]
    [InlineData("--size", "8")]
    [InlineData("--minimum-distance", "-1")]
    public async Task TheCliRejectsBadArgumentsWithExitTwo(string option, string value)
    {
        using var folder = WritePngs();
        var (code, _, errors) = await Cli("diversity", folder.Path, option, value);
        Assert.Equal(2, code);
        Assert.StartsWith("hybrid: error:", errors.Trim());
    }

    [Fact]
    public async Task CliJsonCarriesTheDocumentedFields()
    {
        using var folder = WritePngs();
        var (code, output, _) = await Cli("diversity", folder.Path, "--json", "--metric", "rms,ssim", "--matrix");
        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using var json = JsonDocument.Parse(lines[1]);
        var root = json.RootElement;
        Assert.Equal("a square", root.GetProperty("group").GetString());
        Assert.Equal("ssim", root.GetProperty("metric").GetString());
        Assert.Equal(4, root.GetProperty("count").GetInt32());
        foreach (var name in new[] { "mean", "std", "vendi", "ciLow", "ciHigh" })
        {
            Assert.True(double.IsFinite(root.GetProperty(name).GetDouble()), name);
        }
        Assert.Equal(4, root.GetProperty("matrix").GetArrayLength());
    }

    private static TempFolder WritePngs()
    {
        var folder = new TempFolder();
        for (int i = 0; i < s_images.Value.Count; i++)
        {
            var image = s_images.Value[i];
            File.WriteAllBytes(folder[$"{i}.png"], PngEncoder.Encode(image.Image, image.Metadata()));
        }
        return folder;
    }

    internal static async Task<(int Code, string Output, string Errors)> Cli(params string[] args)
    {
        var (output, errors) = (new StringWriter(), new StringWriter());
        var (previousOut, previousError) = (Console.Out, Console.Error);
        Console.SetOut(output);
        Console.SetError(errors);
        try
        {
            int code = await CliApp.RunAsync(args);
            return (code, output.ToString(), errors.ToString());
        }
        finally
        {
            Console.SetOut(previousOut);
            Console.SetError(previousError);
        }
    }
}
