using DataType = Microsoft.ML.OnnxRuntime.Tensors.TensorElementType;
using Microsoft.ML.OnnxRuntime;
using HybridDiffusion.Contracts.Onnx;
using HybridDiffusion.Contracts.Requests;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Core.Onnx;
using HybridDiffusion.Tests.Core.Models;

namespace HybridDiffusion.Tests.Core.Onnx;

/// <summary>
/// Issue 19: a CUDA session copies a bound host input to the device when it is bound, so an input rewritten in place
/// is not seen unless it is bound again. The seam <see cref="SessionSettings.CopyInputsWhenBound"/> gives CPU sessions
/// those same bind-time copies, so generation under it must make exactly the CPU's images.
/// </summary>
public sealed class SessionBindingTests : IClassFixture<ModelFamilyTests.Folders>
{
    private static readonly SessionSettings InPlace = new(ExecutionProvider.Cpu);
    private static readonly SessionSettings CopiedWhenBound = InPlace with { CopyInputsWhenBound = true };
    private readonly ModelFamilyTests.Folders _folders;

    public SessionBindingTests(ModelFamilyTests.Folders folders) => _folders = folders;

    public static TheoryData<string> Pairs => new() { "Demo", "SdxlFp16", "Sd15Lcm" };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void BindTimeCopiesMakeTheImagesOfInPlaceBinding(string pair)
    {
        var request = Request(pair);
        var inPlace = TestEngine.Shared.Generate(request, InPlace).ToList();
        var copied = TestEngine.Shared.Generate(request, CopiedWhenBound).ToList();

        Assert.Equal(inPlace.Select(i => (i.Prompt, i.Mode, i.Seed)), copied.Select(i => (i.Prompt, i.Mode, i.Seed)));
        Assert.All(inPlace.Zip(copied), p => Assert.True(p.First.Image.Pixels.AsSpan().SequenceEqual(p.Second.Image.Pixels),
            $"{p.First.Prompt} {p.First.Mode} seed {p.First.Seed}: up to " +
            $"{p.First.Image.Pixels.Zip(p.Second.Image.Pixels).Max(x => Math.Abs(x.First - x.Second))} levels apart"));
    }

    [Theory]
    [InlineData(true, 2f)]   // copied at binding time, as on CUDA: the rewrite is seen only once refreshed
    [InlineData(false, 6f)]  // a CPU session reads the bound host memory itself, which is what lets the CPU path skip re-binding
    public void ARewrittenInputIsSeenOnceRefreshedAndInPlaceBefore(bool copyWhenBound, float firstBeforeRefresh)
    {
        using var folder = new TempFolder();
        var model = PlusOne(folder["plus-one.onnx"]);
        (bool, float[], float[]) Run()
        {
            using var sessions = new SessionCache();
            using var lease = sessions.Acquire(model, copyWhenBound ? CopiedWhenBound : InPlace);
            return RunRewritten(lease);
        }
        var (copies, before, after) = Run();

        Assert.Equal(copyWhenBound, copies);
        Assert.Equal(new[] { firstBeforeRefresh, firstBeforeRefresh + 1 }, before);
        Assert.Equal(new[] { 6f, 7f }, after);
    }

    // Binds x = [1, 2], rewrites it to [5, 6], runs; then refreshes it and runs again.
    private static (bool CopiesInputs, float[] BeforeRefresh, float[] AfterRefresh) RunRewritten(SessionLease lease)
    {
        var x = new[] { 1f, 2f };
        var y = new float[2];
        using var input = OrtValue.CreateTensorValueFromMemory(x, new long[] { 2 });
        using var output = OrtValue.CreateTensorValueFromMemory(y, new long[] { 2 });
        using var binding = lease.CreateBinding();
        using var runOptions = new RunOptions();
        binding.BindInput("x", input);
        binding.BindOutput("y", output);
        new[] { 5f, 6f }.CopyTo(x, 0);
        binding.Run(runOptions);
        var before = (float[])y.Clone();
        binding.Refresh("x", input);
        binding.Run(runOptions);
        return (binding.CopiesInputsWhenBound, before, (float[])y.Clone());
    }

    private static string PlusOne(string path)
    {
        var g = new OnnxGraphBuilder("plus_one");
        var x = g.Input("x", DataType.Float, 2);
        g.Alias(g.Node("Add", new[] { x, g.Scalar(1f) }), "y");
        g.Output("y", DataType.Float, 2);
        File.WriteAllBytes(path, g.ToBytes());
        return path;
    }

    // Two prompts (the conditioning is refilled between batches), three modes (both UNets, guidance on the base), three seeds.
    private GenerationRequest Request(string pair)
    {
        var modes = new[] { GenerationMode.Hybrid, GenerationMode.Distilled, GenerationMode.Base };
        var seeds = new long[] { 5, 6, 7 };
        var prompts = new[] { "a red circle", "a blue box" };
        var small = new GenerationSettings { Width = 64, Height = 64, Steps = 4, BaseSteps = 2, BaseGuidance = 3, NegativePrompt = "blurry" };
        return pair switch
        {
            "Demo" => DemoPair.Request(prompts[0], GenerationMode.Hybrid, seeds) with { Prompts = prompts, Modes = modes, BatchSize = 2 },
            "SdxlFp16" => new GenerationRequest
            {
                Prompts = prompts, Modes = modes, Seeds = seeds, BaseModel = _folders.SdxlFp16, DistilledModel = _folders.SdxlLightningFp16,
                Settings = small with { Preset = DistilledPreset.Lightning }, BatchSize = 2,
            },
            _ => new GenerationRequest
            {
                Prompts = prompts, Modes = modes, Seeds = seeds, BaseModel = _folders.Sd15, DistilledModel = _folders.Sd15Lcm,
                Settings = small with { Guidance = 4 }, BatchSize = 2,
            },
        };
    }
}
