using Microsoft.ML.OnnxRuntime;
using HybridDiffusion.Contracts.Onnx;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Contracts.Scheduling;
using HybridDiffusion.Core;
using HybridDiffusion.Core.Engine;
using HybridDiffusion.Core.Models;
using HybridDiffusion.Core.Onnx;
using HybridDiffusion.Core.Sampling;

namespace HybridDiffusion.Tests.Core.Sampling;

/// <summary>A generation session keeps the conditioning of the prompts in flight and a few recent ones, not of every prompt it ran.</summary>
public sealed class ConditioningCacheTests
{
    [Fact]
    public void ASessionOfManyDistinctPromptsKeepsABoundedNumberOfConditionings()
    {
        using var engine = new HybridEngine();
        using var pair = new ModelPair(engine.Sessions, ModelFolder.Open(DemoPair.Paths.BaseModel, "BaseModel"),
            ModelFolder.Open(DemoPair.Paths.DistilledModel, "DistilledModel"), new SessionSettings(ExecutionProvider.Cpu), NullEngineLog.Instance);
        var settings = new GenerationSettings { Width = 64, Height = 64 };
        using var session = new GenerationSession(pair, settings.Height / 8, settings.Width / 8, MemoryMode.Concurrent);
        using var runOptions = new RunOptions();
        var plan = PlanBuilder.Build(GenerationMode.Hybrid, settings, pair.SchedulerOf);
        const int prompts = 40, batchSize = 2;
        for (int i = 0; i < prompts; i += batchSize)
        {
            var batch = Enumerable.Range(i, batchSize)
                .Select(k => new ImageJob(k, $"a ball number {k}", GenerationMode.Hybrid, k, plan, null, NoiseKind.Fast, null))
                .ToList();
            while (!batch[0].IsDenoised)
            {
                session.Denoise(session.Encode(batch, settings.NegativePrompt, runOptions), null, runOptions, CancellationToken.None);
            }
        }

        Assert.InRange(session.ConditioningCount, batchSize, ConditioningCache.MinimumCapacity);
    }
}
