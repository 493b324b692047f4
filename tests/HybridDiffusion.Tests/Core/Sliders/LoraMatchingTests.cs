using Google.Protobuf;
using HybridDiffusion.Contracts;
using HybridDiffusion.Core;
using HybridDiffusion.Core.Onnx.Proto;
using HybridDiffusion.Core.Sliders;

namespace HybridDiffusion.Tests.Core.Sliders;

/// <summary>
/// Module paths match graph names as suffixes at scope boundaries: a wrapper's scope prefix is allowed, part of a name
/// is not, and a path that ends two weights' names is refused with both named.
/// </summary>
public sealed class LoraMatchingTests
{
    // Two weights whose paths share the tail "proj": MatMul "/u/a/proj/MatMul" (weight [in 2, out 3]) and Conv
    // initializer "u.b.proj.weight" (weight [out 3, in 2, 1, 1]).
    private static string ScopedGraph(TempFolder folder, bool float16 = false)
    {
        var graph = new GraphProto { Name = "scoped" };
        graph.Initializer.Add(float16 ? HalfWeight("onnx::MatMul_7", 2, 3) : Weight("onnx::MatMul_7", 2, 3));
        graph.Initializer.Add(Weight("u.b.proj.weight", 3, 2, 1, 1));
        graph.Node.Add(new NodeProto { Name = "/u/a/proj/MatMul", OpType = "MatMul", Input = { "x", "onnx::MatMul_7" }, Output = { "y" } });
        graph.Node.Add(new NodeProto { Name = "/u/b/proj/Conv", OpType = "Conv", Input = { "image", "u.b.proj.weight" }, Output = { "z" } });
        var path = folder["unet.onnx"];
        File.WriteAllBytes(path, new ModelProto { Graph = graph }.ToByteArray());
        return path;
    }

    private static TensorProto Weight(string name, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, Dims = { dims } };
        tensor.FloatData.Add(Enumerable.Range(0, (int)dims.Aggregate(1L, (a, b) => a * b)).Select(i => (float)i));
        return tensor;
    }

    // ONNX keeps float16 bit patterns in int32_data when raw_data is unused.
    private static TensorProto HalfWeight(string name, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float16, Dims = { dims } };
        tensor.Int32Data.Add(Enumerable.Range(0, (int)dims.Aggregate(1L, (a, b) => a * b)).Select(i => (int)BitConverter.HalfToUInt16Bits((Half)i)));
        return tensor;
    }

    [Theory]
    [InlineData("u_a_proj", "onnx::MatMul_7")]   // the full path, scope prefix included
    [InlineData("a_proj", "onnx::MatMul_7")]     // without the wrapper's scope
    [InlineData("b_proj", "u.b.proj.weight")]
    [InlineData("roj", null)]                    // not at a boundary
    [InlineData("_proj", null)]
    [InlineData("x_u_a_proj", null)]             // longer than the name
    [InlineData("a", null)]                      // a scope, not a weight
    public void ModulePathsMatchAtScopeBoundariesOnly(string module, string? initializer)
    {
        using var folder = new TempFolder();
        var matches = UNetWeights.Load(ScopedGraph(folder)).Match(module);
        Assert.Equal(initializer is null ? Array.Empty<string>() : new[] { initializer }, matches.Select(m => m.Initializer));
    }

    [Fact]
    public void APathEndingSeveralWeightsIsRefusedNamingThem()
    {
        using var folder = new TempFolder();
        var unet = ScopedGraph(folder);
        Assert.Equal(new[] { "u_a_proj", "u_b_proj" }, UNetWeights.Load(unet).Match("proj").Select(m => m.Module).Order());
        var lora = folder["proj.safetensors"];
        File.WriteAllBytes(lora, SafeTensors.Write(new[]
        {
            ("lora_unet_proj.lora_down.weight", new long[] { 1, 2 }, new[] { 1f, 2f }),
            ("lora_unet_proj.lora_up.weight", new long[] { 3, 1 }, new[] { 1f, 1f, 1f }),
        }));
        var ex = Assert.Throws<HybridDiffusionException>(() =>
            LoraMerger.Merge(unet, new[] { (LoraFile.Load(lora), 1f) }, strict: false, NullEngineLog.Instance, "ambiguous"));
        Assert.Equal(HybridErrorKind.InvalidModel, ex.Kind);
        Assert.Contains("lora_unet_proj", ex.Message);
        Assert.Contains("matches 2 weights", ex.Message);
        Assert.Contains("u_a_proj, u_b_proj", ex.Message);
        Assert.Contains(lora, ex.Message);
    }

    [Fact]
    public void AScopedMatchMergesIntoThatWeightAlone()
    {
        using var folder = new TempFolder();
        var unet = ScopedGraph(folder);
        var lora = folder["a.safetensors"];
        File.WriteAllBytes(lora, SafeTensors.Write(new[]
        {
            ("lora_unet_a_proj.lora_down.weight", new long[] { 1, 2 }, new[] { 1f, 2f }),
            ("lora_unet_a_proj.lora_up.weight", new long[] { 3, 1 }, new[] { 1f, 10f, 100f }),
            ("lora_unet_c_proj.lora_down.weight", new long[] { 1, 2 }, new[] { 1f, 2f }),
            ("lora_unet_c_proj.lora_up.weight", new long[] { 3, 1 }, new[] { 1f, 10f, 100f }),
        }));
        var (overrides, report) = LoraMerger.Merge(unet, new[] { (LoraFile.Load(lora), 0.5f) }, strict: false, NullEngineLog.Instance, "scoped");
        using (overrides)
        {
            Assert.Equal(new[] { "u_a_proj" }, report.Applied);
            var file = Assert.Single(report.Files);
            Assert.Equal((2, 1), (file.Modules, file.Matched));
            Assert.Equal(new[] { "lora_unet_c_proj.lora_down.weight" }, file.Unmatched);
            var (name, value) = Assert.Single(overrides.Values);
            Assert.Equal("onnx::MatMul_7", name);
            // W [in 2, out 3] = 0..5 row-major; ΔW[o, i] = 0.5·up[o]·down[i], added transposed: W[i, o] += ΔW[o, i].
            Assert.Equal(new[] { 0 + 0.5f, 1 + 5f, 2 + 50f, 3 + 1f, 4 + 10f, 5 + 100f }, value.GetTensorDataAsSpan<float>().ToArray());
        }
    }

    // 1e37 · 100 · 2 overflows float32; 1000 · 100 · 2 fits float32 but not float16 (65504).
    [Theory]
    [InlineData(false, 1e37f)]
    [InlineData(true, 1000f)]
    public void AMergeThatOverflowsTheWeightsTypeIsRefused(bool float16, float strength)
    {
        using var folder = new TempFolder();
        var unet = ScopedGraph(folder, float16);
        var lora = folder["big.safetensors"];
        File.WriteAllBytes(lora, SafeTensors.Write(new[]
        {
            ("lora_unet_a_proj.lora_down.weight", new long[] { 1, 2 }, new[] { 1f, 2f }),
            ("lora_unet_a_proj.lora_up.weight", new long[] { 3, 1 }, new[] { 1f, 10f, 100f }),
        }));
        var ex = Assert.Throws<HybridDiffusionException>(() =>
            LoraMerger.Merge(unet, new[] { (LoraFile.Load(lora), strength) }, strict: false, NullEngineLog.Instance, "overflow"));
        Assert.Contains("onnx::MatMul_7 (u_a_proj)", ex.Message);
        Assert.Contains("beyond what the weight's type holds; use a smaller strength", ex.Message);
        Assert.Contains(lora, ex.Message);
        // A thousandth of that strength fits.
        var (overrides, _) = LoraMerger.Merge(unet, new[] { (LoraFile.Load(lora), strength / 1000) }, strict: false, NullEngineLog.Instance, "fits");
        overrides.Dispose();
    }
}
