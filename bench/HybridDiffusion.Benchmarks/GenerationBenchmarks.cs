using BenchmarkDotNet.Attributes;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Core.Engine;
using HybridDiffusion.Demo;

namespace HybridDiffusion.Benchmarks;

/// <summary>
/// Whole requests on the demo pair: 16 images of one prompt per operation, by mode and batch size. Time per operation
/// ÷ 16 is the per-image cost; the allocation column shows what a request allocates (per image and per batch, not per step).
/// </summary>
[MemoryDiagnoser]
public class GenerationBenchmarks
{
    private const int Images = 16;
    private readonly HybridEngine _engine = new();
    private GenerationRequest _request = null!;

    [Params(GenerationMode.Hybrid, GenerationMode.Distilled, GenerationMode.SkipFirst, GenerationMode.Base)]
    public GenerationMode Mode { get; set; }

    [Params(1, 4, 16)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var demo = DemoModels.EnsureInstalled();
        _request = new GenerationRequest
        {
            Prompts = new[] { "a photo of a red circle" },
            Seeds = Enumerable.Range(0, Images).Select(i => (long)i).ToArray(),
            Modes = new[] { Mode },
            BaseModel = demo.BaseModel,
            DistilledModel = demo.DistilledModel,
            BatchSize = BatchSize,
            MemoryMode = MemoryMode.Concurrent,
        };
    }

    [Benchmark]
    public int Generate() => _engine.Generate(_request).Count();

    [GlobalCleanup]
    public void Cleanup() => _engine.Dispose();
}
