using DataType = Microsoft.ML.OnnxRuntime.Tensors.TensorElementType;
using Microsoft.ML.OnnxRuntime;
using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Onnx;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Core.Models;
using HybridDiffusion.Core.Onnx;
using HybridDiffusion.Core.Sampling;
using HybridDiffusion.Core.Scheduling;

namespace HybridDiffusion.Tests.Core.Sampling;

/// <summary>Plans name a scheduler per segment, and the denoising loop hands the latent over between scheduler families.</summary>
public sealed class SchedulerPerSegmentTests
{
    [Fact]
    public void PlansNameASchedulerPerSegment()
    {
        var specs = PlanParser.Parse("base[euler]:999;distilled[lcm]:749,499,249");
        Assert.Equal(new[] { "euler", "lcm" }, specs.Select(s => s.Scheduler));
        var plan = PlanBuilder.Build(GenerationMode.Plan, new GenerationSettings { Plan = "base[euler-ancestral]:999;distilled:749,499,249" },
            _ => SchedulerFactory.Create(TestSchedules.EulerTrailing with { ClassName = "LCMScheduler" }));
        Assert.Equal("EulerAncestral", plan.SchedulerOf(plan.Segments[0]).Name);
        Assert.Equal("LCM", plan.SchedulerOf(plan.Segments[1]).Name);
        Assert.Equal("base[euler-ancestral]:999;distilled:749,499,249", plan.ToString());
        var bad = Assert.Throws<HybridDiffusionException>(() => PlanParser.Parse("base[heun]:999;distilled:749"));
        Assert.Contains("scheduler 'heun' is not known", bad.Message);
    }

    [Fact]
    public void AnEulerSegmentHandsAnLcmSegmentTheVariancePreservingLatent()
    {
        // A UNet that predicts ε = 0: Euler keeps x (σ-space) unchanged from t=999 to 749; the LCM's last step then returns
        // x̂0 = x_VP/√ᾱ749, which is the starting σ-space latent again only if the handover multiplied it by √ᾱ749.
        using var folder = new TempFolder();
        var path = folder["zero-unet.onnx"];
        File.WriteAllBytes(path, ZeroUNet());
        using var sessions = new SessionCache();
        using var unet = new UNetModel(sessions.Acquire(path, new SessionSettings(ExecutionProvider.Cpu)), path);
        using var binding = unet.Bind(1, 2, 2, 77, 8);
        var euler = SchedulerFactory.Create(TestSchedules.EulerTrailing);
        var lcm = SchedulerFactory.Create(TestSchedules.EulerTrailing with { ClassName = "LCMScheduler" });
        var plan = new SamplingPlan(lcm, new[]
        {
            new PlanSegment(ModelRole.Base, new[] { new ScheduleStep(0, 999, 749, false) }, 0, euler),
            new PlanSegment(ModelRole.Distilled, new[] { new ScheduleStep(1, 749, -1, true) }, 0),
        });
        var latent = Enumerable.Range(1, 16).Select(i => i * 0.7f - 5f).ToArray();
        var start = (float[])latent.Clone();
        using var runOptions = new RunOptions();
        var loop = new DenoisingLoop(latent.Length);
        var rows = new[] { new LatentRow(latent, new GaussianNoise(3)) };
        loop.RunSegment(plan, 0, rows, new[] { binding }, runOptions, null, CancellationToken.None);
        loop.RunSegment(plan, 1, rows, new[] { binding }, runOptions, null, CancellationToken.None);
        // LCM: denoised = c_out·x̂0 + c_skip·x_VP with s = 7490, so c_out ≈ 1 and c_skip ≈ 4.5e-9.
        for (int i = 0; i < latent.Length; i++)
        {
            Assert.Equal(start[i], latent[i], 3);
        }
        Assert.Equal("base[euler]:999;distilled:749", plan.ToString());
    }

    private static byte[] ZeroUNet()
    {
        var g = new OnnxGraphBuilder("zero_unet");
        var sample = g.Input("sample", DataType.Float, "batch", 4, "height", "width");
        g.Input("timestep", DataType.Int64, "batch");
        g.Input("encoder_hidden_states", DataType.Float, "batch", 77, 8);
        g.Alias(g.Node("Mul", new[] { sample, g.Scalar(0f) }), "out_sample");
        g.Output("out_sample", DataType.Float, "batch", 4, "height", "width");
        return g.ToBytes();
    }
}
