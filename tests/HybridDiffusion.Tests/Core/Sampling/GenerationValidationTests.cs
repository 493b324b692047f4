using HybridDiffusion.Cli;
using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Core.Formats;
using HybridDiffusion.Tests.Analysis.Diversity;

namespace HybridDiffusion.Tests.Core.Sampling;

/// <summary>Each bad input fails with a specific message in the engine and a non-zero exit in the CLI.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class GenerationValidationTests
{
    private static HybridDiffusionException Fails(GenerationRequest request) =>
        Assert.Throws<HybridDiffusionException>(() => TestEngine.Shared.Generate(request).ToList());

    [Fact]
    public void MissingModelFolder()
    {
        var ex = Fails(DemoPair.Request("a photo", GenerationMode.Hybrid, new long[] { 0 }) with { BaseModel = "/nonexistent/sdxl" });
        Assert.Equal(HybridErrorKind.ModelNotFound, ex.Kind);
        Assert.Contains("/nonexistent/sdxl", ex.Message);
        Assert.Contains("does not exist", ex.Message);
    }

    [Fact]
    public void FolderWithoutUnet()
    {
        using var temp = new TempFolder();
        var copy = temp.CopyFrom(DemoPair.Paths.BaseModel, "base");
        File.Delete(Path.Combine(copy, "unet", "model.onnx"));
        var ex = Fails(DemoPair.Request("a photo", GenerationMode.Base, new long[] { 0 }) with { BaseModel = copy });
        Assert.Equal(HybridErrorKind.InvalidModel, ex.Kind);
        Assert.Contains("has no unet/model.onnx", ex.Message);
        Assert.Contains(copy, ex.Message);
    }

    [Fact]
    public void TruncatedOnnxFile()
    {
        using var temp = new TempFolder();
        var copy = temp.CopyFrom(DemoPair.Paths.BaseModel, "base");
        var unet = Path.Combine(copy, "unet", "model.onnx");
        var bytes = File.ReadAllBytes(unet);
        File.WriteAllBytes(unet, bytes[..(bytes.Length / 2)]);
        var ex = Fails(DemoPair.Request("a photo", GenerationMode.Base, new long[] { 0 }) with { BaseModel = copy });
        Assert.Equal(HybridErrorKind.InvalidModel, ex.Kind);
        Assert.Contains(unet, ex.Message);
        Assert.Contains("truncated", ex.Message);
    }

    [Theory]
    [InlineData(100, "multiple of 8")]
    [InlineData(0, "multiple of 8")]
    [InlineData(2147483640, "at most 16384 pixels")]
    public void WidthNotAMultipleOfEightOrTooLarge(int width, string text)
    {
        var ex = Fails(DemoPair.Request("a photo", GenerationMode.Hybrid, new long[] { 0 }, new GenerationSettings { Width = width }));
        Assert.Equal(SettingId.Width, ex.Setting);
        Assert.Contains(text, ex.Message);
    }

    [Fact]
    public void StepsBelowOne()
    {
        var ex = Fails(DemoPair.Request("a photo", GenerationMode.Distilled, new long[] { 0 }, new GenerationSettings { Steps = 0 }));
        Assert.Equal(SettingId.Steps, ex.Setting);
        Assert.Contains("at least 1", ex.Message);
    }

    [Fact]
    public void BaseStepsNotBelowSteps()
    {
        var ex = Fails(DemoPair.Request("a photo", GenerationMode.Hybrid, new long[] { 0 }, new GenerationSettings { Steps = 4, BaseSteps = 4 }));
        Assert.Equal(SettingId.BaseSteps, ex.Setting);
        Assert.Contains("less than the step count (4)", ex.Message);
    }

    [Fact]
    public void UnknownMode()
    {
        var ex = Assert.Throws<HybridDiffusionException>(() => GenerationModes.Parse("turbo"));
        Assert.Equal(SettingId.Mode, ex.Setting);
        Assert.Contains("'turbo' is not known", ex.Message);
        Assert.Equal(GenerationMode.SkipFirst, GenerationModes.Parse("skip-first"));
    }

    [Fact]
    public void MalformedPlan()
    {
        var ex = Fails(DemoPair.Request("a photo", GenerationMode.Plan, new long[] { 0 }, new GenerationSettings { Plan = "base:999;distilled:999" }));
        Assert.Equal(SettingId.Plan, ex.Setting);
        Assert.Contains("strictly decrease", ex.Message);
    }

    [Fact]
    public void FailedWriteLeavesNoPartialFile()
    {
        using var folder = new TempFolder();
        // A directory where the PNG should go makes the final move fail.
        Directory.CreateDirectory(folder["a-photo-hybrid-0.png"]);
        var ex = Fails(DemoPair.Request("a photo", GenerationMode.Hybrid, new long[] { 0 }) with { OutputDirectory = folder.Path });
        Assert.Equal(HybridErrorKind.IOFailure, ex.Kind);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Theory]
    [InlineData(2, "new-image", "a photo", "--mode", "turbo")]
    [InlineData(2, "new-image", "a photo", "--width", "100")]
    [InlineData(2, "new-image", "a photo", "--steps", "0")]
    [InlineData(2, "new-image", "a photo", "--steps", "4", "--base-steps", "4")]
    [InlineData(1, "new-image", "a photo", "--base-model", "/nonexistent/model", "--distilled-model", "/nonexistent/other")]
    public async Task CliExitsNonZero(int expected, params string[] args)
    {
        using var folder = new TempFolder();
        var code = await CliApp.RunAsync(args.Concat(new[] { "--output", folder.Path }).ToArray());
        Assert.Equal(expected, code);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public async Task CliWritesImagesAndSucceeds()
    {
        using var folder = new TempFolder();
        var code = await CliApp.RunAsync(new[]
        {
            "new-image", "a photo", "--mode", "hybrid,distilled", "--count", "2", "--json", "--output", folder.Path,
            "--base-model", DemoPair.Paths.BaseModel, "--distilled-model", DemoPair.Paths.DistilledModel,
        });
        Assert.Equal(0, code);
        Assert.Equal(
            new[] { "a-photo-distilled-0.png", "a-photo-distilled-1.png", "a-photo-hybrid-0.png", "a-photo-hybrid-1.png" },
            Directory.GetFiles(folder.Path).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
    }

    [Fact]
    public async Task CliExitsNonZeroOnATruncatedModelAndFolderWithoutUnet()
    {
        using var temp = new TempFolder();
        var truncated = temp.CopyFrom(DemoPair.Paths.BaseModel, "truncated");
        var unet = Path.Combine(truncated, "unet", "model.onnx");
        File.WriteAllBytes(unet, File.ReadAllBytes(unet)[..100]);
        var noUnet = temp.CopyFrom(DemoPair.Paths.BaseModel, "no-unet");
        File.Delete(Path.Combine(noUnet, "unet", "model.onnx"));
        foreach (var folder in new[] { truncated, noUnet })
        {
            var code = await CliApp.RunAsync(new[] { "new-image", "a photo", "--mode", "base", "--base-model", folder, "--output", temp["out"] });
            Assert.Equal(1, code);
        }
        Assert.False(Directory.Exists(temp["out"]) && Directory.EnumerateFiles(temp["out"]).Any());
    }

    [Fact]
    public void CliJsonCarriesTheDocumentedFields()
    {
        var image = DemoPair.Generate("a photo", GenerationMode.Hybrid, new long[] { 4 }).Single();
        using var json = System.Text.Json.JsonDocument.Parse(NewImageCommand.ToJson(image));
        var root = json.RootElement;
        Assert.Equal("a photo", root.GetProperty("prompt").GetString());
        Assert.Equal(4, root.GetProperty("seed").GetInt64());
        Assert.Equal("hybrid", root.GetProperty("mode").GetString());
        Assert.Equal(128, root.GetProperty("width").GetInt32());
        Assert.Equal(128, root.GetProperty("height").GetInt32());
        Assert.True(root.GetProperty("elapsedMs").GetDouble() > 0);
        Assert.True(root.TryGetProperty("path", out _));
    }

    // A UNet that keeps the engine's inputs but answers with twice the latent's channels (or a different shape of any
    // kind): the run ends in the engine's error naming the model file, exit 1, never a stack trace.
    [Fact]
    public async Task AUNetWhoseOutputIsNotTheLatentsShapeIsNamed()
    {
        using var folder = new TempFolder();
        var graph = new HybridDiffusion.Core.Onnx.OnnxGraphBuilder("wide-unet");
        using (var demo = new Microsoft.ML.OnnxRuntime.InferenceSession(Path.Combine(DemoPair.Paths.DistilledModel, "unet", "model.onnx")))
        {
            foreach (var (name, input) in demo.InputMetadata)
            {
                graph.Input(name, input.ElementDataType, input.Dimensions.Select((d, i) => d >= 0 ? (object)(long)d : $"{name}_{i}").ToArray());
            }
        }
        graph.Alias(graph.Node("Tile", new[] { "sample", graph.Ints(1, 2, 1, 1) }), "out_sample");
        graph.Output("out_sample", Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float, "batch", 8, "height", "width");
        var unet = folder["wide-unet.onnx"];
        File.WriteAllBytes(unet, graph.ToBytes());

        var (code, _, errors) = await DiversityInputTests.Cli("new-image", "a red circle", "--mode", "distilled", "--count", "1",
            "--base-model", DemoPair.Paths.BaseModel, "--distilled-model", unet, "--output", folder["out"]);
        Assert.True(code == 1, $"exit {code}: {errors}");
        Assert.Contains(unet, errors);
        Assert.DoesNotContain("   at ", errors);
        Assert.False(Directory.Exists(folder["out"]) && Directory.EnumerateFiles(folder["out"], "*.png").Any());
    }

    [Fact]
    public void NonFiniteLatentsNameTheLatentsFile()
    {
        using var folder = new TempFolder();
        var path = folder["nan.npy"];
        var values = new float[4 * 8 * 8];
        values[5] = float.NaN;
        new NpyArray(values, new[] { 1, 4, 8, 8 }).Write(path);
        var ex = Assert.Throws<HybridDiffusionException>(() => TestEngine.Shared.Generate(
            DemoPair.Request("a photo", GenerationMode.Distilled, new long[] { 0 }, new() { Width = 64, Height = 64 }) with { InitialLatents = path }).ToList());
        Assert.Equal(SettingId.InitialLatents, ex.Setting);
        Assert.Contains(path, ex.Message);
        Assert.Contains("hold NaN at value 5", ex.Message);
    }
}
