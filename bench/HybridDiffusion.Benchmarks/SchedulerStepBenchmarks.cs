using BenchmarkDotNet.Attributes;
using HybridDiffusion.Contracts;
using HybridDiffusion.Core.Scheduling;

namespace HybridDiffusion.Benchmarks;

/// <summary>One scheduler step on the demo's latent (4×16×16): the engine's own arithmetic between two UNet runs.</summary>
[MemoryDiagnoser]
public class SchedulerStepBenchmarks
{
    private const int LatentSize = 4 * 16 * 16;
    private readonly float[] _output = new float[LatentSize];
    private readonly float[] _sample = new float[LatentSize];
    private readonly float[] _predicted = new float[LatentSize];
    private readonly float[] _scratch = new float[LatentSize];
    private readonly GaussianNoise _noise = new(1);
    private IDiffusionScheduler _scheduler = null!;
    private ScheduleStep _step;

    [Params("ddim", "lcm", "euler-ancestral")]
    public string Scheduler { get; set; } = "ddim";

    [GlobalSetup]
    public void Setup()
    {
        var config = new SchedulerConfig { BetaStart = 0.00085, BetaEnd = 0.012, BetaSchedule = "scaled_linear", TimestepSpacing = "trailing" };
        _scheduler = SchedulerFactory.ByName(Scheduler, config, SettingId.Scheduler);
        _step = _scheduler.CreateSchedule(4).Steps[1];
        new GaussianNoise(2).Fill(_output);
        new GaussianNoise(3).Fill(_sample);
    }

    [Benchmark]
    public void Step() => _scheduler.Step(_step, _output, _sample, _predicted, _scratch, _noise);
}
