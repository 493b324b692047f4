using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Onnx;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Core;
using HybridDiffusion.Core.Engine;
using HybridDiffusion.Core.Models;
using HybridDiffusion.Core.Onnx;

namespace HybridDiffusion.Tests.Core.Engine;

/// <summary>An engine owns its sessions, its provider memory and its log; disposing it releases what it loaded.</summary>
public sealed class HybridEngineTests
{
    private static string UNetPath => Path.Combine(DemoPair.Paths.BaseModel, "unet", "model.onnx");

    private static string VaePath => Path.Combine(DemoPair.Paths.BaseModel, "vae_decoder", "model.onnx");

    [Fact]
    public void DisposingTheEngineReleasesEverySessionAndLoadsNoMore()
    {
        var engine = new HybridEngine();
        Assert.Single(engine.Generate(DemoPair.Request("a red circle", GenerationMode.Hybrid, new long[] { 1 })));
        var lease = engine.Sessions.Acquire(UNetPath, SessionSettings.Default);
        Assert.NotEmpty(engine.Sessions.List());

        engine.Dispose();

        Assert.Empty(engine.Sessions.List());
        Assert.NotEmpty(lease.Session.InputMetadata);   // a session in use lives until its lease ends
        lease.Dispose();
        Assert.Throws<ObjectDisposedException>(() => lease.Session);
        Assert.Throws<ObjectDisposedException>(() => engine.Sessions.Acquire(UNetPath, SessionSettings.Default));
        Assert.Throws<ObjectDisposedException>(() => engine.Generate(DemoPair.Request("a red circle", GenerationMode.Hybrid, new long[] { 1 })).ToList());
    }

    [Fact]
    public void ARequestThatNamesNoModelRunsOnTheEnginesDefaultPairAskedForOnlyWhenAnImageIsMade()
    {
        var asked = 0;
        using var engine = new HybridEngine(defaultModels: _ => { asked++; return (DemoPair.Paths.BaseModel, DemoPair.Paths.DistilledModel); });
        var named = DemoPair.Request("a red circle", GenerationMode.Hybrid, new long[] { 1 });
        var unnamed = named with { BaseModel = null, DistilledModel = null };

        Assert.Throws<HybridDiffusionException>(() => engine.Generate(unnamed with { Settings = unnamed.Settings with { Width = 100 } }));
        Assert.Equal(0, asked);
        Assert.Equal(engine.Generate(named).Single().Image.Pixels, engine.Generate(unnamed).Single().Image.Pixels);
        Assert.Equal(1, asked);

        using var bare = new HybridEngine();
        var refusal = Assert.Throws<HybridDiffusionException>(() => bare.Generate(unnamed));
        Assert.Equal(SettingId.BaseModel, refusal.Setting);
        Assert.Contains("Name the base and distilled model folders", refusal.Message);
    }

    [Fact]
    public void EnginesShareNoSessions()
    {
        using var first = new HybridEngine();
        using var second = new HybridEngine();
        first.Generate(DemoPair.Request("a blue square", GenerationMode.Base, new long[] { 2 })).ToList();

        Assert.NotEmpty(first.Sessions.List());
        Assert.Empty(second.Sessions.List());
        second.Sessions.Acquire(UNetPath, SessionSettings.Default).Dispose();
        second.Sessions.Clear();
        Assert.Contains(first.Sessions.List(), s => s.ModelPath == UNetPath);
    }

    [Fact]
    public void ACudaFailureIsRememberedByTheEngineThatMetItOnly()
    {
        // Without a usable CUDA provider (the CPU build), Auto tries it once per engine, then goes straight to the CPU;
        // with one, no engine reports a failure. Either way two engines report alike, and one never twice.
        int Failures(params string[] models)
        {
            var log = new CollectingLog();
            using var engine = new HybridEngine();
            foreach (var model in models)
            {
                engine.Sessions.Acquire(model, SessionSettings.Default, log).Dispose();
            }
            return log.Messages.Count(m => m.StartsWith("CUDA execution provider unavailable", StringComparison.Ordinal));
        }
        int first = Failures(UNetPath, VaePath);
        Assert.InRange(first, 0, 1);
        Assert.Equal(first, Failures(UNetPath));
    }

    [Fact]
    public void PlanningReadsTheSchedulersWithoutLoadingASession()
    {
        using var engine = new HybridEngine();
        using var pair = new ModelPair(engine.Sessions, ModelFolder.Open(DemoPair.Paths.BaseModel, "BaseModel"),
            ModelFolder.Open(DemoPair.Paths.DistilledModel, "DistilledModel"), new SessionSettings(ExecutionProvider.Cpu), NullEngineLog.Instance);

        Assert.Equal("DDIM", pair.SchedulerOf(ModelRole.Base).Name);
        Assert.Equal("LCM", pair.SchedulerOf(ModelRole.Distilled).Name);
        Assert.Empty(engine.Sessions.List());
    }

    [Fact]
    public void ACallWithoutAnObserverReportsToTheEnginesLog()
    {
        var log = new CollectingLog();
        using var engine = new HybridEngine(log);
        engine.Generate(DemoPair.Request("a green ball", GenerationMode.Distilled, new long[] { 3 })).ToList();

        Assert.Contains(log.Messages, m => m.StartsWith($"Loaded '{Path.Combine(DemoPair.Paths.DistilledModel, "unet", "model.onnx")}'", StringComparison.Ordinal));
    }
}
