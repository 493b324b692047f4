using Google.Protobuf;
using HybridDiffusion.Contracts;
using HybridDiffusion.Core;
using HybridDiffusion.Core.Onnx.Proto;
using HybridDiffusion.Core.Sliders;

namespace HybridDiffusion.Tests.Core.Sliders;

/// <summary>
/// What a slider merge reads from elsewhere (LoRA files, the UNet's initializers and their external data) is read in
/// bounds, only inside the model's folder, and refused with a message when it does not fit (issue 24).
/// </summary>
public sealed class SliderInputTests
{
    [Fact]
    public void ASliderOnExternalDataWithoutLengthReadsOnlyItsOwnBytes()
    {
        using var folder = new TempFolder();
        var values = new[] { 1f, 2f, 3f, 4f, 5f, 6f };
        var data = folder["weights.bin"];
        using (var stream = File.Create(data))
        {
            stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
            // A 3 GB data file, sparse: reading it whole would overflow an array, or cost gigabytes.
            stream.SetLength(3L << 30);
        }
        var weight = new TensorProto { Name = "w.weight", DataType = (int)TensorProto.Types.DataType.Float, Dims = { 2, 3 }, DataLocation = TensorProto.Types.DataLocation.External };
        weight.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "weights.bin" });
        var unet = WriteGraph(folder, weight);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var weights = UNetWeights.Load(unet);
        var read = weights.Read(weights.Targets["w"]);

        Assert.Equal(values, read);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("../outside.bin")]
    public void ExternalDataOutsideTheModelFolderIsRefused(string location)
    {
        using var folder = new TempFolder();
        var weight = new TensorProto { Name = "w.weight", DataType = (int)TensorProto.Types.DataType.Float, Dims = { 2, 3 }, DataLocation = TensorProto.Types.DataLocation.External };
        weight.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
        Directory.CreateDirectory(folder["unet"]);
        var weights = UNetWeights.Load(WriteGraph(folder, weight, "unet"));
        var ex = Assert.Throws<HybridDiffusionException>(() => weights.Read(weights.Targets["w"]));
        Assert.Contains($"location '{location}' is not a file name inside the model's folder", ex.Message);
    }

    [Fact]
    public void ARepeatedInitializerNameIsRefusedForSliders()
    {
        using var folder = new TempFolder();
        var first = new TensorProto { Name = "w.weight", DataType = (int)TensorProto.Types.DataType.Float, Dims = { 1 }, FloatData = { 1f } };
        var unet = WriteGraph(folder, first, extra: first.Clone());
        var ex = Assert.Throws<HybridDiffusionException>(() => UNetWeights.Load(unet));
        Assert.Equal(HybridErrorKind.InvalidModel, ex.Kind);
        Assert.Contains("two initializers named 'w.weight'", ex.Message);
    }

    [Fact]
    public void LoraFactorsSwappedOnAWeightOfTheSameElementCountAreRefused()
    {
        using var folder = new TempFolder();
        // MatMul weight stored [in 10, out 4]; a correct rank-1 update has down [1, 10] and up [4, 1].
        var weight = new TensorProto { Name = "onnx::MatMul_1", DataType = (int)TensorProto.Types.DataType.Float, Dims = { 10, 4 } };
        weight.FloatData.Add(new float[40]);
        var graph = new GraphProto { Name = "g", Initializer = { weight } };
        graph.Node.Add(new NodeProto { Name = "/proj/MatMul", OpType = "MatMul", Input = { "x", weight.Name }, Output = { "y" } });
        var unet = folder["unet.onnx"];
        File.WriteAllBytes(unet, new ModelProto { Graph = graph }.ToByteArray());
        var lora = folder["swapped.safetensors"];
        File.WriteAllBytes(lora, SafeTensors.Write(new[]
        {
            ("lora_unet_proj.lora_down.weight", new long[] { 1, 4 }, new float[4]),
            ("lora_unet_proj.lora_up.weight", new long[] { 10, 1 }, new float[10]),
        }));
        var ex = Assert.Throws<HybridDiffusionException>(() => LoraMerger.Merge(unet, new[] { (LoraFile.Load(lora), 1f) }, strict: false, NullEngineLog.Instance, "swapped"));
        Assert.Contains("updates a [10 x 4] weight, but onnx::MatMul_1 has shape [10, 4]", ex.Message);
    }

    [Fact]
    public void ASafetensorsHeaderOverTheCapIsCalledThat()
    {
        var bytes = new byte[16];
        BitConverter.TryWriteBytes(bytes, (ulong)(100L * 1024 * 1024 + 1));
        var ex = Assert.Throws<HybridDiffusionException>(() => SafeTensors.Parse(bytes, "big.safetensors"));
        Assert.Contains("over the limit of 100 MiB for a header", ex.Message);
        Assert.DoesNotContain("truncated", ex.Message);
    }

    // A graph whose MatMul "/w/MatMul" takes the given weight, written as FOLDER[/sub]/model.onnx.
    private static string WriteGraph(TempFolder folder, TensorProto weight, string? sub = null, TensorProto? extra = null)
    {
        var graph = new GraphProto { Name = "g", Initializer = { weight } };
        if (extra is not null)
        {
            graph.Initializer.Add(extra);
        }
        graph.Node.Add(new NodeProto { Name = "/w/MatMul", OpType = "MatMul", Input = { "x", weight.Name }, Output = { "y" } });
        var path = sub is null ? folder["model.onnx"] : Path.Combine(folder[sub], "model.onnx");
        File.WriteAllBytes(path, new ModelProto { Graph = graph }.ToByteArray());
        return path;
    }
}
