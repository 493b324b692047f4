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

namespace HybridDiffusion.Tests;

/// <summary>Euler and Euler-ancestral against REFERENCE.md §2, and the latent handover between scheduler families.</summary>
public sealed class EulerSchedulerTests
{
    private static readonly SchedulerConfig Trailing = new()
    {
        ClassName = "EulerDiscreteScheduler", BetaStart = 0.00085, BetaEnd = 0.012, BetaSchedule = "scaled_linear", TimestepSpacing = "trailing",
    };

    // REFERENCE.md's ᾱ values; σ = √((1−ᾱ)/ᾱ).
    private static double Sigma(double alphaProd) => Math.Sqrt((1 - alphaProd) / alphaProd);

    [Fact]
    public void SigmasScheduleAndInitialNoiseFollowDiffusers()
    {
        var euler = (EulerScheduler)SchedulerFactory.Create(Trailing);
        Assert.Equal(14.6146, euler.SigmaAt(999), 4);
        Assert.Equal(Sigma(0.056623), euler.SigmaAt(749), 4);
        Assert.Equal(0, euler.SigmaAt(-1));
        Assert.Equal(new double[] { 999, 749, 499, 249 }, euler.CreateSchedule(4).Timesteps);
        Assert.Equal(14.6146f, euler.InitNoiseSigma(999), 3);
        var leading = new EulerScheduler(Trailing with { TimestepSpacing = "leading" }, ancestral: false);
        Assert.Equal((float)Math.Sqrt(14.6146 * 14.6146 + 1), leading.InitNoiseSigma(999), 3);
        Assert.Equal(LatentSpace.SigmaScaled, euler.Space);
        Assert.Equal("EulerAncestral", SchedulerFactory.Create(Trailing with { ClassName = "EulerAncestralDiscreteScheduler" }).Name);
    }

    [Fact]
    public void ModelInputIsScaledByOneOverSqrtSigmaSquaredPlusOne()
    {
        var euler = SchedulerFactory.Create(Trailing);
        var output = new float[2];
        euler.ScaleModelInput(new ScheduleStep(0, 999, 749, false), new float[] { 14.6146f, -29.2292f }, output);
        double scale = 1 / Math.Sqrt(14.6146 * 14.6146 + 1);
        Assert.Equal(14.6146 * scale, output[0], 4);
        Assert.Equal(-29.2292 * scale, output[1], 4);
    }

    [Fact]
    public void EulerStepMatchesTheHandComputedUpdate()
    {
        var euler = SchedulerFactory.Create(Trailing);
        float[] x = { 1f, -2f }, epsilon = { 0.5f, 0.25f };
        var predicted = new float[2];
        euler.Step(new ScheduleStep(0, 999, 749, false), epsilon, x, predicted, new float[2], new GaussianNoise(0));
        double sigma = Sigma(0.004660), next = Sigma(0.056623);
        // x̂0 = x − σ·ε;  x' = x + (x − x̂0)/σ·(σ' − σ) = x + ε·(σ' − σ)
        Assert.Equal(1 - sigma * 0.5, predicted[0], 2);
        Assert.Equal(1 + 0.5 * (next - sigma), x[0], 2);
        Assert.Equal(-2 + 0.25 * (next - sigma), x[1], 2);
    }

    [Fact]
    public void EulerAncestralStepsToSigmaDownAndAddsSigmaUpOfFreshNoise()
    {
        var ancestral = SchedulerFactory.Create(Trailing with { ClassName = "EulerAncestralDiscreteScheduler" });
        float[] x = { 1f, -2f }, epsilon = { 0.5f, 0.25f };
        ancestral.Step(new ScheduleStep(0, 999, 749, false), epsilon, x, new float[2], new float[2], new GaussianNoise(42));
        double sigma = Sigma(0.004660), next = Sigma(0.056623);
        double up = Math.Sqrt(next * next * (sigma * sigma - next * next) / (sigma * sigma));
        double down = Math.Sqrt(next * next - up * up);
        var z = new float[2];
        new GaussianNoise(42).Fill(z);
        Assert.Equal(1 + 0.5 * (down - sigma) + z[0] * up, x[0], 2);
        Assert.Equal(-2 + 0.25 * (down - sigma) + z[1] * up, x[1], 2);

        // The last step goes to σ = 0 with no noise: x becomes x̂0.
        float[] last = { 0.3f, 0.6f };
        ancestral.Step(new ScheduleStep(3, 249, -1, true), new float[] { 0.1f, 0.1f }, last, new float[2], new float[2], new GaussianNoise(1));
        double sigma249 = Sigma(0.675432);
        Assert.Equal(0.3 - sigma249 * 0.1, last[0], 4);
    }

    [Fact]
    public void ConvertingBetweenSigmaAndVariancePreservingLatentsUsesRootAlpha()
    {
        var euler = SchedulerFactory.Create(Trailing);
        var lcm = SchedulerFactory.Create(Trailing with { ClassName = "LCMScheduler" });
        float[] latent = { 2f, -4f };
        LatentSpaces.Convert(euler, lcm, 749, latent);
        Assert.Equal(2 * Math.Sqrt(0.056623), latent[0], 4);
        Assert.Equal(-4 * Math.Sqrt(0.056623), latent[1], 4);
        LatentSpaces.Convert(lcm, euler, 749, latent);
        Assert.Equal(2, latent[0], 4);
        LatentSpaces.Convert(lcm, SchedulerFactory.Create(Trailing with { ClassName = "DDIMScheduler" }), 749, latent);
        Assert.Equal(2, latent[0], 4);
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
        var euler = SchedulerFactory.Create(Trailing);
        var lcm = SchedulerFactory.Create(Trailing with { ClassName = "LCMScheduler" });
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

    [Fact]
    public void PlansNameASchedulerPerSegment()
    {
        var specs = PlanParser.Parse("base[euler]:999;distilled[lcm]:749,499,249");
        Assert.Equal(new[] { "euler", "lcm" }, specs.Select(s => s.Scheduler));
        var plan = PlanBuilder.Build(GenerationMode.Plan, new GenerationSettings { Plan = "base[euler-ancestral]:999;distilled:749,499,249" },
            _ => SchedulerFactory.Create(Trailing with { ClassName = "LCMScheduler" }));
        Assert.Equal("EulerAncestral", plan.SchedulerOf(plan.Segments[0]).Name);
        Assert.Equal("LCM", plan.SchedulerOf(plan.Segments[1]).Name);
        Assert.Equal("base[euler-ancestral]:999;distilled:749,499,249", plan.ToString());
        var bad = Assert.Throws<HybridDiffusionException>(() => PlanParser.Parse("base[heun]:999;distilled:749"));
        Assert.Contains("scheduler 'heun' is not known", bad.Message);
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
