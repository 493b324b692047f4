using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Imaging;
using HybridDiffusion.Contracts.Onnx;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Contracts.Scheduling;
using HybridDiffusion.Core.Imaging;
using HybridDiffusion.Core.Onnx;
using HybridDiffusion.Core.Parity;

namespace HybridDiffusion.Tests.Core.Parity;

/// <summary>The recorded diffusers cases in ../shared/diffusers-reference.</summary>
internal static class ReferenceCases
{
    public static IEnumerable<string> Folders() =>
        Directory.GetDirectories(Path.Combine(SharedData.RequireDiffusersReference(), "cases")).Order(StringComparer.Ordinal);

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        if (SharedData.DiffusersReference is not null)
        {
            foreach (var folder in Folders())
            {
                data.Add(Path.GetFileName(folder));
            }
        }
        return data;
    }

    public static string Folder(string name) => Path.Combine(SharedData.RequireDiffusersReference(), "cases", name);

    public static string Model(string name) => Path.Combine(SharedData.RequireDiffusersReference(), name);
}

/// <summary>The engine against diffusers itself: every recorded case replayed stage by stage, and seeds that give diffusers' images.</summary>
public sealed class ReferenceParityTests
{
    private static readonly SessionSettings Cpu = new(ExecutionProvider.Cpu);

    [ReferenceTheory]
    [MemberData(nameof(CaseNames))]
    public void ReplaysTheCaseWithinItsBounds(string name)
    {
        var report = ReferenceReplay.Run(TestEngine.Shared, ReferenceCase.Load(ReferenceCases.Folder(name)), Cpu);
        var failures = report.Stages.Where(s => !s.Passed).Select(s => $"{s.Name}: {s.MaxAbs:G3} > {s.Tolerance:G3}").ToList();
        Assert.True(report.Passed, $"{name}: " + string.Join("; ", failures));
        // Each step's UNet output, latent and x̂0 was compared, plus the text, the timesteps and the image.
        int steps = ReferenceCase.Load(ReferenceCases.Folder(name)).Steps.Count;
        Assert.True(report.Stages.Count >= 3 * steps + 3, $"{name}: only {report.Stages.Count} stages compared");
        Assert.Contains(report.Stages, s => s.Kind == ReferenceStageKind.Image);
    }

    public static TheoryData<string> CaseNames() => ReferenceCases.Names();

    [ReferenceTheory]
    [InlineData("sdxl-ddim-6", "sdxl-tiny", "van gogh art", 6, 7L)]
    [InlineData("sd-ddim-10", "sd-tiny", "a photo of a cat", 10, 0L)]
    public void TorchNoiseAndASeedAloneGiveDiffusersImage(string name, string model, string prompt, int steps, long seed)
    {
        var image = TestEngine.Shared.Generate(new GenerationRequest
        {
            Prompts = new[] { prompt },
            Seeds = new[] { seed },
            Modes = new[] { GenerationMode.Base },
            Settings = new GenerationSettings { Steps = steps, Scheduler = "ddim" },
            BaseModel = ReferenceCases.Model(model),
            Provider = ExecutionProvider.Cpu,
            NoiseSource = NoiseKind.Torch,
        }).Single();
        Assert.InRange(MaxLevelDifference(image.Image, PngDecoder.Decode(Path.Combine(ReferenceCases.Folder(name), "image0.png")).Image), 0, 1);
        Assert.Equal("Torch", image.Metadata().Single(kv => kv.Key == "NoiseSource").Value);
    }

    [ReferenceFact]
    public void GivenLatentsReplaceTheSeedsNoise()
    {
        var folder = ReferenceCases.Folder("sd-ddim-10");
        var latentsFile = Path.Combine(folder, "initial_latents.npy");
        var request = new GenerationRequest
        {
            Prompts = new[] { "a photo of a cat" },
            // Neither seed is the case's; with DDIM (no step noise) the latents alone decide the image.
            Seeds = new[] { 11L, 12L },
            Modes = new[] { GenerationMode.Base },
            Settings = new GenerationSettings { Steps = 10, Scheduler = "ddim" },
            BaseModel = ReferenceCases.Model("sd-tiny"),
            Provider = ExecutionProvider.Cpu,
            InitialLatents = latentsFile,
        };
        var images = TestEngine.Shared.Generate(request).ToList();
        var reference = PngDecoder.Decode(Path.Combine(folder, "image0.png")).Image;
        Assert.All(images, i => Assert.InRange(MaxLevelDifference(i.Image, reference), 0, 1));
        Assert.Equal(Path.GetFullPath(latentsFile), images[0].Metadata().Single(kv => kv.Key == "InitialLatents").Value);
    }

    [ReferenceFact]
    public void LatentsOfAnotherSizeAreRefusedBeforeAnyModelLoads()
    {
        var request = new GenerationRequest
        {
            Prompts = new[] { "a cat" },
            Settings = new GenerationSettings { Width = 256, Height = 128 },
            BaseModel = ReferenceCases.Model("sd-tiny"),
            Modes = new[] { GenerationMode.Base },
            InitialLatents = Path.Combine(ReferenceCases.Folder("sd-ddim-10"), "initial_latents.npy"),
        };
        var ex = Assert.Throws<HybridDiffusionException>(() => TestEngine.Shared.Generate(request));
        Assert.Contains("have shape (1, 4, 16, 16); a 256x128 image needs [1, channels, 16, 32]", ex.Message);
    }

    private static int MaxLevelDifference(RgbImage a, RgbImage b)
    {
        Assert.Equal((a.Width, a.Height), (b.Width, b.Height));
        return a.Pixels.Zip(b.Pixels, (x, y) => Math.Abs(x - y)).Max();
    }
}
