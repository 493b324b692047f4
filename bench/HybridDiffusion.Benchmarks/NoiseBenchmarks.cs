using BenchmarkDotNet.Attributes;
using HybridDiffusion.Core.Scheduling;

namespace HybridDiffusion.Benchmarks;

/// <summary>Fresh Gaussian noise, drawn every LCM and ancestral step: the demo latent (1024) and SDXL's (16384).</summary>
[MemoryDiagnoser]
public class NoiseBenchmarks
{
    private readonly GaussianNoise _noise = new(42);
    private float[] _buffer = Array.Empty<float>();

    [Params(1024, 16384)]
    public int Values { get; set; }

    [GlobalSetup]
    public void Setup() => _buffer = new float[Values];

    [Benchmark]
    public void Fill() => _noise.Fill(_buffer);
}
