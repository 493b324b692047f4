using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Onnx;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Core.Onnx;
using Microsoft.ML.OnnxRuntime.Tensors;
using HybridDiffusion.Fixtures;

namespace HybridDiffusion.Tests.Core.Models;

/// <summary>Every supported contract runs the whole pipeline in every mode, on generated fixtures with real exports' I/O.</summary>
public sealed class ModelFamilyTests : IClassFixture<ModelFamilyTests.Folders>
{
    private static readonly GenerationMode[] AllModes = { GenerationMode.Hybrid, GenerationMode.Distilled, GenerationMode.Base, GenerationMode.SkipFirst };
    private readonly Folders _folders;

    public ModelFamilyTests(Folders folders) => _folders = folders;

    /// <summary>The fixtures, written once for the class into a temporary folder.</summary>
    public sealed class Folders : IDisposable
    {
        private readonly TempFolder _temp = new();

        public Folders()
        {
            Root = _temp.Path;
            Sd15 = ContractFixtures.Sd15(Root);
            Sd15Dmd2 = ContractFixtures.UNetOnlyFolder(Root, "sd15-dmd2", new UNetContract(32, TimestepStyle.Int64Batch));
            Sd15Lcm = ContractFixtures.Sd15Lcm(Root);
            Sd21V = ContractFixtures.Sd21V(Root);
            Sd21Turbo = ContractFixtures.UNetFile(Root, "sd21-turbo", new UNetContract(24, TimestepStyle.FloatBatch));
            Sdxl = ContractFixtures.Sdxl(Root);
            SdxlDmd2 = ContractFixtures.UNetOnlyFolder(Root, "sdxl-dmd2", new UNetContract(40, TimestepStyle.FloatScalar, PooledDim: 20));
            SdxlFp16 = ContractFixtures.Sdxl(Root, float16: true);
            SdxlLightningFp16 = ContractFixtures.UNetFile(Root, "sdxl-lightning-fp16", new UNetContract(40, TimestepStyle.Float16Batch, PooledDim: 20, Float16: true));
            SdxlExternal = ContractFixtures.Sdxl(Root, externalData: true);
        }

        public string Root { get; }
        public string Sd15 { get; }
        public string Sd15Dmd2 { get; }
        public string Sd15Lcm { get; }
        public string Sd21V { get; }
        public string Sd21Turbo { get; }
        public string Sdxl { get; }
        public string SdxlDmd2 { get; }
        public string SdxlFp16 { get; }
        public string SdxlLightningFp16 { get; }
        public string SdxlExternal { get; }

        public void Dispose()
        {
            TestEngine.Shared.Sessions.Clear(s => s.ModelPath.StartsWith(Root, StringComparison.Ordinal));
            _temp.Dispose();
        }
    }

    public static TheoryData<string, string, DistilledPreset?, float> Pairs => new()
    {
        { "Sd15", "Sd15Dmd2", DistilledPreset.Dmd2, 0f },
        { "Sd15", "Sd15Lcm", null, 4f },
        { "Sd21V", "Sd21Turbo", DistilledPreset.Turbo, 0f },
        { "Sdxl", "SdxlDmd2", DistilledPreset.Dmd2, 0f },
        { "SdxlFp16", "SdxlLightningFp16", DistilledPreset.Lightning, 0f },
        { "SdxlExternal", "SdxlDmd2", DistilledPreset.Dmd2, 0f },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void EveryFamilyGeneratesInEveryMode(string baseName, string distilledName, DistilledPreset? preset, float guidance)
    {
        var request = new GenerationRequest
        {
            Prompts = new[] { "a photo of a red cat" },
            Seeds = new long[] { 5 },
            Modes = AllModes,
            BaseModel = Path(baseName),
            DistilledModel = Path(distilledName),
            // The base runs classifier-free guidance with an empty negative prompt (zeros for SDXL) to cover that path too.
            Settings = new GenerationSettings { Preset = preset, Guidance = guidance, BaseGuidance = 3, Width = 64, Height = 64 },
            Provider = ExecutionProvider.Cpu,
        };
        var images = TestEngine.Shared.Generate(request).ToList();
        Assert.Equal(AllModes, images.Select(i => i.Mode));
        foreach (var image in images)
        {
            Assert.Equal((64, 64), (image.Width, image.Height));
            Assert.True(image.Image.Pixels.Distinct().Count() > 8, $"{baseName}/{distilledName} {image.Mode} gave a flat image");
        }
        var again = TestEngine.Shared.Generate(request with { Modes = new[] { GenerationMode.Hybrid } }).Single();
        Assert.Equal(images[0].Image.Pixels, again.Image.Pixels);
    }

    [Fact]
    public void TheExternalDataFixtureKeepsItsWeightsBesideTheGraph()
    {
        var data = new FileInfo(System.IO.Path.Combine(_folders.SdxlExternal, "unet", "model.onnx_data"));
        var graph = new FileInfo(System.IO.Path.Combine(_folders.SdxlExternal, "unet", "model.onnx"));
        Assert.True(data.Exists && data.Length > 3000, "the weights should sit in model.onnx_data");
        Assert.True(graph.Length < new FileInfo(System.IO.Path.Combine(_folders.Sdxl, "unet", "model.onnx")).Length - 3000);
    }

    [Fact]
    public void AnSdxlHybridWithAUNetOnlyDmd2LoadsEachSharedComponentOnce()
    {
        var request = new GenerationRequest
        {
            Prompts = new[] { "a cat", "a red box" },
            Seeds = new long[] { 1, 2 },
            Modes = AllModes,
            BaseModel = _folders.Sdxl,
            DistilledModel = _folders.SdxlDmd2,
            Settings = new GenerationSettings { Preset = DistilledPreset.Dmd2, Width = 64, Height = 64 },
            Provider = ExecutionProvider.Cpu,
        };
        Assert.Equal(16, TestEngine.Shared.Generate(request).Count());
        var sessions = TestEngine.Shared.Sessions.List().Where(s => s.ModelPath.StartsWith(_folders.Sdxl + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal)
            || s.ModelPath.StartsWith(_folders.SdxlDmd2 + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal)).Select(s => s.ModelPath).ToList();
        var expected = new[] { "sdxl/text_encoder/model.onnx", "sdxl/text_encoder_2/model.onnx", "sdxl/unet/model.onnx", "sdxl/vae_decoder/model.onnx", "sdxl-dmd2/unet/model.onnx" };
        Assert.Equal(expected.Order(), sessions.Select(p => System.IO.Path.GetRelativePath(_folders.Root, p).Replace('\\', '/')).Order());
        Assert.All(TestEngine.Shared.Sessions.List().Where(s => sessions.Contains(s.ModelPath)), s => Assert.Equal(0, s.ActiveLeases));
    }

    [Theory]
    [InlineData("StableDiffusion3Pipeline", true, "Stable Diffusion 3")]
    [InlineData("FluxPipeline", true, "Flux")]
    [InlineData("", true, "diffusion-transformer (DiT)")]
    public void UnsupportedFamiliesAreNamed(string pipelineClass, bool transformer, string family)
    {
        var folder = System.IO.Path.Combine(_folders.Root, "unsupported-" + (pipelineClass.Length == 0 ? "dit" : pipelineClass));
        Directory.CreateDirectory(System.IO.Path.Combine(folder, transformer ? "transformer" : "unet"));
        if (pipelineClass.Length > 0)
        {
            File.WriteAllText(System.IO.Path.Combine(folder, "model_index.json"), $"{{ \"_class_name\": \"{pipelineClass}\" }}");
        }
        var ex = Assert.Throws<HybridDiffusionException>(() => TestEngine.Shared.Generate(new GenerationRequest
        {
            Prompts = new[] { "a cat" }, Modes = new[] { GenerationMode.Base }, BaseModel = folder,
        }));
        Assert.Equal(HybridErrorKind.UnsupportedModel, ex.Kind);
        Assert.Contains(folder, ex.Message);
        Assert.Contains($"is a {family} model", ex.Message);
        Assert.Contains("Supported: Stable Diffusion 1.5 and 2.1, SDXL", ex.Message);
    }

    [Theory]
    [InlineData(24, 4, "text-embedding sizes 32 and 24")]
    [InlineData(32, 8, "latent channels 4 and 8")]
    public void MismatchedPairsNameBothFiles(int textDim, int channels, string problem)
    {
        var distilled = ContractFixtures.UNetFile(_folders.Root, $"mismatch-{textDim}-{channels}", new UNetContract(textDim, TimestepStyle.Int64Batch, Channels: channels));
        var ex = Assert.Throws<HybridDiffusionException>(() => TestEngine.Shared.Generate(new GenerationRequest
        {
            Prompts = new[] { "a cat" }, Modes = new[] { GenerationMode.Hybrid }, BaseModel = _folders.Sd15, DistilledModel = distilled,
            Settings = new GenerationSettings { Width = 64, Height = 64 },
        }).ToList());
        Assert.Contains(problem, ex.Message);
        Assert.Contains(System.IO.Path.Combine(_folders.Sd15, "unet", "model.onnx"), ex.Message);
        Assert.Contains(distilled, ex.Message);
    }

    [Fact]
    public void AUNetMatchingNoContractListsItsInputs()
    {
        var g = new OnnxGraphBuilder("sd3_transformer");
        var hidden = g.Input("hidden_states", TensorElementType.Float, "batch", 16, "height", "width");
        g.Input("pooled_projections", TensorElementType.Float, "batch", 2048);
        g.Alias(g.Node("Identity", new[] { hidden }), "out_sample");
        g.Output("out_sample", TensorElementType.Float, "batch", 16, "height", "width");
        var path = System.IO.Path.Combine(_folders.Root, "transformer.onnx");
        File.WriteAllBytes(path, g.ToBytes());
        var ex = Assert.Throws<HybridDiffusionException>(() => TestEngine.Shared.Generate(new GenerationRequest
        {
            Prompts = new[] { "a cat" }, Modes = new[] { GenerationMode.Distilled }, BaseModel = _folders.Sd15, DistilledModel = path,
        }).ToList());
        Assert.Contains(path, ex.Message);
        Assert.Contains("matches no supported contract", ex.Message);
        Assert.Contains("hidden_states Float[-1,16,-1,-1]", ex.Message);
        Assert.Contains("pooled_projections", ex.Message);
        Assert.Contains("Expected sample, timestep, encoder_hidden_states", ex.Message);
    }

    private string Path(string name) => (string)typeof(Folders).GetProperty(name)!.GetValue(_folders)!;
}
