using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Onnx;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Core.Engine;
using HybridDiffusion.Core.Sampling;
using HybridDiffusion.Tests.Core.Models;

namespace HybridDiffusion.Tests.Core.Sampling;

/// <summary>Batches and sequential memory mode change how work is scheduled, never the images.</summary>
public sealed class BatchingTests : IClassFixture<ModelFamilyTests.Folders>
{
    private static readonly GenerationMode[] Modes = { GenerationMode.Hybrid, GenerationMode.Distilled, GenerationMode.Base };
    private readonly ModelFamilyTests.Folders _folders;

    public BatchingTests(ModelFamilyTests.Folders folders) => _folders = folders;

    public static TheoryData<string> Pairs => new() { "Demo", "Sdxl", "Sd15Lcm" };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void BatchedImagesMatchImagesMadeOneAtATime(string pair)
    {
        var request = Request(pair) with { Modes = new[] { GenerationMode.Hybrid } };
        var single = TestEngine.Shared.Generate(request with { BatchSize = 1 }).ToList();
        var batched = TestEngine.Shared.Generate(request with { BatchSize = 4 }).ToList();
        var again = TestEngine.Shared.Generate(request with { BatchSize = 4 }).ToList();

        // 2 prompts × 3 seeds in request order; the first batch holds both prompts (CFG rows included).
        Assert.Equal(single.Select(i => (i.Prompt, i.Seed)), batched.Select(i => (i.Prompt, i.Seed)));
        Assert.All(single, i => Assert.Equal(1, i.BatchSize));
        Assert.Equal(new[] { 4, 4, 4, 4, 2, 2 }, batched.Select(i => i.BatchSize));
        // ONNX Runtime's kernels may round a row differently in another batch shape: at most one level in a rare pixel.
        Assert.All(single.Zip(batched), p => Assert.True(MaxDifference(p.First, p.Second) <= 1, $"seed {p.First.Seed}: {MaxDifference(p.First, p.Second)} levels"));
        Assert.True(single.Zip(batched).Average(p => Differing(p.First, p.Second)) < 0.001);
        // A given batch size is exact.
        Assert.All(batched.Zip(again), p => Assert.Equal(p.First.Image.Pixels, p.Second.Image.Pixels));
    }

    [Fact]
    public void SequentialModeHoldsOneUNetAtATimeAndMakesTheSameImages()
    {
        var request = Request("Sdxl");
        var unets = new[] { Path.Combine(_folders.Sdxl, "unet", "model.onnx"), Path.Combine(_folders.SdxlDmd2, "unet", "model.onnx") };
        // Each run on an engine of its own, so what is loaded is that run's doing alone.
        List<GeneratedImage> Run(MemoryMode mode, List<int> unetsLoaded, List<ModelRole> order)
        {
            using var engine = new HybridEngine();
            var observer = new RecordingObserver(p =>
            {
                unetsLoaded.Add(engine.Sessions.List().Count(s => unets.Contains(s.ModelPath)));
                order.Add(p.Model);
            });
            return engine.Generate(request with { MemoryMode = mode, BatchSize = 4 }, observer).ToList();
        }
        var (concurrentLoaded, concurrentOrder) = (new List<int>(), new List<ModelRole>());
        var concurrent = Run(MemoryMode.Concurrent, concurrentLoaded, concurrentOrder);
        var (sequentialLoaded, sequentialOrder) = (new List<int>(), new List<ModelRole>());
        var sequential = Run(MemoryMode.Sequential, sequentialLoaded, sequentialOrder);

        Assert.Equal(2, concurrentLoaded.Max());
        Assert.All(sequentialLoaded, count => Assert.Equal(1, count));
        // Every base step (hybrid's first, all of Base mode's) before any distilled step, so the base UNet loads once.
        int firstDistilled = sequentialOrder.IndexOf(ModelRole.Distilled);
        Assert.DoesNotContain(ModelRole.Base, sequentialOrder.Skip(firstDistilled));
        // Both in request order: prompts, then modes, then seeds.
        var expected = request.Prompts.SelectMany(p => Modes.SelectMany(m => request.Seeds.Select(s => (p, m, s))));
        Assert.Equal(expected, concurrent.Select(i => (i.Prompt, i.Mode, i.Seed)));
        Assert.Equal(expected, sequential.Select(i => (i.Prompt, i.Mode, i.Seed)));
        // Batches are cut differently in the two modes (per run of seeds, per phase), so the same tolerance applies.
        Assert.All(concurrent.Zip(sequential), p => Assert.True(MaxDifference(p.First, p.Second) <= 1));
    }

    [Fact]
    public void AutoBatchSizeFollowsTheUNetsSizeAndProvider()
    {
        Assert.Equal(8, ResourcePlanner.AutoBatchSize(10 << 20, ExecutionProvider.Cpu, images: 100));
        Assert.Equal(3, ResourcePlanner.AutoBatchSize(10 << 20, ExecutionProvider.Cpu, images: 3));
        Assert.Equal(1, ResourcePlanner.AutoBatchSize(3L << 30, ExecutionProvider.Cpu, images: 100));
        Assert.Equal(8, ResourcePlanner.AutoBatchSize(3L << 30, ExecutionProvider.Cuda, images: 100));
    }

    [Fact]
    public void AutoMemoryModeGoesSequentialWhenBothUNetsWouldNotFit()
    {
        const long gb = 1L << 30;
        Assert.Equal(MemoryMode.Concurrent, ResourcePlanner.ResolveMemoryMode(MemoryMode.Auto, 5 * gb, 5 * gb, bothUsed: true, availableBytes: 20 * gb));
        Assert.Equal(MemoryMode.Sequential, ResourcePlanner.ResolveMemoryMode(MemoryMode.Auto, 5 * gb, 5 * gb, bothUsed: true, availableBytes: 12 * gb));
        Assert.Equal(MemoryMode.Concurrent, ResourcePlanner.ResolveMemoryMode(MemoryMode.Auto, 5 * gb, 5 * gb, bothUsed: false, availableBytes: 1 * gb));
        Assert.Equal(MemoryMode.Sequential, ResourcePlanner.ResolveMemoryMode(MemoryMode.Sequential, 1, 1, bothUsed: true, availableBytes: 20 * gb));
        Assert.True(ResourcePlanner.AvailableMemoryBytes() > 0);
    }

    [Fact]
    public void AnImageSizeThatCannotFitInTheMemoryAvailableIsRefusedBeforeAnyModelLoads()
    {
        // 1024×1024: a 4×128×128 float latent three times, 3 float and 3 byte values per pixel.
        Assert.Equal(3 * (4L * 128 * 128 * 4) + 1024L * 1024 * 15, ResourcePlanner.MinimumImageBytes(1024, 1024));
        var settings = new GenerationSettings { Width = 1024, Height = 1024 };
        ResourcePlanner.CheckImageFits(settings, availableBytes: 1L << 30);
        var ex = Assert.Throws<HybridDiffusionException>(() => ResourcePlanner.CheckImageFits(settings, availableBytes: 8L << 20));
        Assert.Equal(SettingId.Width, ex.Setting);
        Assert.Contains("A 1024×1024 image needs at least 15 MB", ex.Message);
        Assert.Contains("8 MB are available", ex.Message);
        // 100000² cannot fit any machine: refused at once, as a request.
        Assert.Throws<HybridDiffusionException>(() => TestEngine.Shared.Generate(Request("Demo") with { Settings = new GenerationSettings { Width = 100_000, Height = 100_000 } }));
    }

    [Fact]
    public void ABatchSizeOutsideOneTo256IsRefusedByName()
    {
        foreach (int size in new[] { 0, GenerationRequest.MaxBatchSize + 1 })
        {
            var ex = Assert.Throws<HybridDiffusionException>(() => TestEngine.Shared.Generate(Request("Demo") with { BatchSize = size }));
            Assert.Equal(SettingId.BatchSize, ex.Setting);
            Assert.Contains($"1 to {GenerationRequest.MaxBatchSize}; got {size}", ex.Message);
        }
    }

    private static int MaxDifference(GeneratedImage a, GeneratedImage b) =>
        a.Image.Pixels.Zip(b.Image.Pixels).Max(p => Math.Abs(p.First - p.Second));

    private static double Differing(GeneratedImage a, GeneratedImage b) =>
        a.Image.Pixels.Zip(b.Image.Pixels).Count(p => p.First != p.Second) / (double)a.Image.Pixels.Length;

    private GenerationRequest Request(string pair)
    {
        var seeds = new long[] { 5, 6, 7 };
        var prompts = new[] { "a red circle", "a blue box" };
        return pair switch
        {
            "Demo" => DemoPair.Request(prompts[0], GenerationMode.Hybrid, seeds) with { Prompts = prompts, Modes = Modes },
            "Sdxl" => new GenerationRequest
            {
                Prompts = prompts, Modes = Modes, Seeds = seeds, BaseModel = _folders.Sdxl, DistilledModel = _folders.SdxlDmd2,
                Settings = new GenerationSettings { Width = 64, Height = 64, Preset = DistilledPreset.Dmd2, Steps = 4, BaseGuidance = 3, NegativePrompt = "blurry" },
            },
            _ => new GenerationRequest
            {
                Prompts = prompts, Modes = Modes, Seeds = seeds, BaseModel = _folders.Sd15, DistilledModel = _folders.Sd15Lcm,
                Settings = new GenerationSettings { Width = 64, Height = 64, Steps = 4, Guidance = 4, BaseGuidance = 3 },
            },
        };
    }
}
