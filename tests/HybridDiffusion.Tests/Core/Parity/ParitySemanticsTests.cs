using HybridDiffusion.Contracts.Onnx;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Core.Formats;
using HybridDiffusion.Core.Sampling;
using HybridDiffusion.Core.Scheduling;

namespace HybridDiffusion.Tests.Core.Parity;

/// <summary>Where diffusers' semantics were matched: fractional Euler timesteps, SDXL's negative prompt, LCM's w.</summary>
public sealed class ParitySemanticsTests
{
    private static readonly SchedulerConfig StableDiffusion = new()
    {
        BetaSchedule = "scaled_linear", BetaStart = 0.00085, BetaEnd = 0.012, StepsOffset = 1, SetAlphaToOne = false, TimestepSpacing = "linspace",
    };

    [Fact]
    public void EulerWithLinspaceSpacingKeepsFloat32FractionalTimesteps()
    {
        var euler = (EulerScheduler)SchedulerFactory.Create(StableDiffusion with { ClassName = "EulerDiscreteScheduler" });
        // diffusers' EulerDiscreteScheduler, 8 steps (case sd-euler-8).
        Assert.Equal(new[] { 999.0, 856.2857055664062, 713.5714111328125, 570.8571166992188, 428.1428527832031, 285.4285583496094, 142.7142791748047, 0.0 },
            euler.CreateSchedule(8).Timesteps);
        // DDIM rounds the same spacing.
        Assert.Equal(new double[] { 999, 856, 714, 571, 428, 285, 143, 0 }, new DdimScheduler(StableDiffusion).CreateSchedule(8).Timesteps);
    }

    [Fact]
    public void SigmaIsInterpolatedLinearlyBetweenWholeTimesteps()
    {
        var euler = (EulerScheduler)SchedulerFactory.Create(StableDiffusion with { ClassName = "EulerDiscreteScheduler" });
        double low = euler.SigmaAt(856), high = euler.SigmaAt(857);
        Assert.Equal(low + 0.25 * (high - low), euler.SigmaAt(856.25), 12);
        Assert.True(high > low);
        // ᾱ follows σ between whole timesteps, so a latent handed over at a fractional t converts consistently.
        double alpha = euler.Noise.AlphaCumprodAt(856.25), sigma = euler.SigmaAt(856.25);
        Assert.Equal(1 / (sigma * sigma + 1), alpha, 12);
    }

    [Fact]
    public void LcmGuidanceEmbeddingIsNotClampedBelowGuidanceOne()
    {
        var below = new float[32];
        var one = new float[32];
        GuidanceEmbedding.Write(0.5f, below);
        GuidanceEmbedding.Write(1f, one);
        // w = guidance − 1 = −0.5, so the first frequency's argument is −500.
        Assert.Equal(MathF.Sin(-500f), below[0]);
        Assert.Equal(MathF.Cos(-500f), below[16]);
        Assert.All(one.Take(16), v => Assert.Equal(0f, v));
        Assert.All(one.Skip(16), v => Assert.Equal(1f, v));
    }

    [ReferenceFact]
    public void LcmGuidanceEmbeddingMatchesDiffusers()
    {
        var recorded = NpyArray.Read(Path.Combine(ReferenceCases.Folder("sdxl-lcm-4-timestep-cond"), "step0_timestep_cond.npy"));
        var ours = new float[recorded.Shape[1]];
        GuidanceEmbedding.Write(2f, ours);
        Assert.InRange(ours.Zip(recorded.Values, (a, b) => Math.Abs(a - b)).Max(), 0, 1e-6);
    }

    [ReferenceFact]
    public void SdxlEncodesAnExplicitEmptyNegativePromptAndZeroesAMissingOne()
    {
        GeneratedImage Make(string? negative) => TestEngine.Shared.Generate(new GenerationRequest
        {
            Prompts = new[] { "an astronaut riding a horse" },
            Modes = new[] { GenerationMode.Base },
            Settings = new GenerationSettings { Steps = 2, BaseGuidance = 5, NegativePrompt = negative, Scheduler = "ddim" },
            BaseModel = ReferenceCases.Model("sdxl-tiny"),
            Provider = ExecutionProvider.Cpu,
        }).Single();
        var missing = Make(null);
        var empty = Make("");
        Assert.NotEqual(missing.Image.Pixels, empty.Image.Pixels);
        Assert.Equal(missing.Image.Pixels, Make(null).Image.Pixels);
    }
}
