using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Google.Protobuf;
using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Core;
using HybridDiffusion.Core.Formats;
using HybridDiffusion.Core.Onnx.Proto;
using HybridDiffusion.Core.Parity;
using HybridDiffusion.Core.Sliders;
using HybridDiffusion.Core.Text;
using HybridDiffusion.Demo;

namespace HybridDiffusion.Tests;

/// <summary>
/// Files from elsewhere (model folders, tokenizers, LoRAs, arrays, reference cases, the demo cache's manifest) make the
/// tool read nothing but what was named, end in a message that names the file and never repeats its contents, and
/// cost bounded memory and time whatever they claim (issue 24).
/// </summary>
public sealed class UntrustedFileTests
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(20);

    // --- Reads outside what was named ---------------------------------------------------------------------------

    [ReferenceTheory]
    [InlineData("pipeline", "/etc")]
    [InlineData("pipeline", "../../../../../../etc")]
    [InlineData("initial_latents", "/etc/passwd")]
    [InlineData("image", "../../../../../../../etc/passwd")]
    public void ACaseNamingAPathOutsideItsRootIsRefusedWithoutReadingIt(string key, string path)
    {
        using var root = ReferenceCaseInputTests.CopyCase("sd-ddim-10", out var folder);
        var file = Path.Combine(folder, "case.json");
        var json = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        json[key] = path;
        File.WriteAllText(file, json.ToJsonString());

        var ex = Assert.Throws<HybridDiffusionException>(() => ReferenceCase.Load(folder));

        Assert.Equal(HybridErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains($"{key} names '{path}', which is not inside", ex.Message);
        Assert.DoesNotContain("root:", ex.Message);
    }

    [ReferenceFact]
    public void ACaseLoraOrArrayLinkedOutOfItsRootIsRefused()
    {
        using var root = ReferenceCaseInputTests.CopyCase("sd-ddim-10", out var folder);
        var file = Path.Combine(folder, "case.json");
        var json = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        json["lora"] = new JsonObject { ["file"] = "/etc/passwd", ["strength"] = 1 };
        File.WriteAllText(file, json.ToJsonString());
        Assert.Contains("lora.file names '/etc/passwd', which is not inside", Assert.Throws<HybridDiffusionException>(() => ReferenceCase.Load(folder)).Message);

        json.Remove("lora");
        File.WriteAllText(file, json.ToJsonString());
        var image = Path.Combine(folder, "image.npy");
        File.Delete(image);
        File.CreateSymbolicLink(image, "/etc/passwd");
        var ex = Assert.Throws<HybridDiffusionException>(() => ReferenceCase.Load(folder));
        Assert.Contains("image names 'image.npy', which is not inside the case's folder", ex.Message);
        Assert.DoesNotContain("root:", ex.Message);
    }

    [ReferenceFact]
    public void ACaseWhoseArraysDoNotFitItsModelIsNamedBeforeAnyRun()
    {
        using var root = ReferenceCaseInputTests.CopyCase("sd-ddim-10", out var folder);
        // Every latent-shaped array with 8 channels instead of the UNet's 4: a consistent case for another model.
        foreach (var file in Directory.GetFiles(folder, "*.npy"))
        {
            var array = NpyArray.Read(file);
            if (array.Shape.Count == 4 && array.Shape[1] == 4)
            {
                var shape = new[] { array.Shape[0], 8, array.Shape[2], array.Shape[3] };
                new NpyArray(new float[shape.Aggregate(1, (a, d) => a * d)], shape).Write(file);
            }
        }
        var ex = Assert.Throws<HybridDiffusionException>(() => ReferenceReplay.Run(TestEngine.Shared, ReferenceCase.Load(folder), new Core.Onnx.SessionSettings(Contracts.Onnx.ExecutionProvider.Cpu)));
        Assert.Contains("records latents of 8 channels ((1, 8, 16, 16)), but its UNet", ex.Message);
        Assert.Contains("takes 4", ex.Message);
    }

    [LinuxFact]
    public void ATamperedDemoManifestNeverOpensWhatItNames()
    {
        using var home = new TempFolder();
        var root = home.CopyFrom(Path.GetDirectoryName(DemoPair.Paths.BaseModel)!, $"demo-v{DemoModels.Version}");
        var outside = home["outside.fifo"];
        MakeFifo(outside);
        var inside = Path.Combine(root, "base", "inside.fifo");
        MakeFifo(inside);
        var manifestPath = Path.Combine(root, "manifest.json");
        var sound = File.ReadAllText(manifestPath);
        foreach (var entry in new[] { "../outside.fifo", "base/inside.fifo", "/dev/zero", "../../../etc/shadow" })
        {
            var manifest = JsonNode.Parse(sound)!.AsObject();
            manifest["files"]!.AsObject()[entry] = "00";
            File.WriteAllText(manifestPath, manifest.ToJsonString());
            // Opening either pipe would block: the check must answer without opening them.
            var verify = Task.Run(() => DemoModels.Verify(root));
            Assert.True(verify.Wait(Prompt), $"Verify hung on the entry '{entry}'");
            Assert.False(verify.Result, entry);
        }
    }

    // --- Stack traces instead of messages ----------------------------------------------------------------------

    [Theory]
    [InlineData("{\"pad_token\": \"<|endoftext|>\"", "is not valid JSON")]
    [InlineData("{\"pad_token\": 5}", "\"pad_token\" must be a string; it is 5")]
    [InlineData("{\"pad_token\": {\"content\": []}}", "\"content\" must be a string")]
    [InlineData("{\"pad_token\": \"!\", \"pad_token\": \"?\"}", "names a key twice")]
    [InlineData("[1, 2]", "must hold a JSON object")]
    public void ADamagedTokenizerConfigIsNamed(string config, string expected)
    {
        using var folder = TokenizerCopy();
        var path = Path.Combine(folder.Path, "tokenizer_config.json");
        File.WriteAllText(path, config);
        var ex = Assert.Throws<HybridDiffusionException>(() => ClipTokenizer.Load(folder.Path));
        Assert.Equal(HybridErrorKind.InvalidModel, ex.Kind);
        Assert.Contains(path, ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void ATokenizerConfigNestedDeeperThanTheCapIsNamed()
    {
        using var folder = TokenizerCopy();
        var path = Path.Combine(folder.Path, "tokenizer_config.json");
        File.WriteAllText(path, "{\"a\":" + new string('[', 100_000) + new string(']', 100_000) + "}");
        var ex = Assert.Throws<HybridDiffusionException>(() => ClipTokenizer.Load(folder.Path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("64 levels", ex.Message);
    }

    [Fact]
    public void AnEndOfTextIdBeyondTheVocabularyIsRefusedAtLoad()
    {
        using var folder = TokenizerCopy();
        var path = Path.Combine(folder.Path, "vocab.json");
        var vocab = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        vocab[ClipTokenizer.EndOfText] = 5_000_000;
        File.WriteAllText(path, vocab.ToJsonString());
        var ex = Assert.Throws<HybridDiffusionException>(() => ClipTokenizer.Load(folder.Path));
        Assert.Contains($"gives '{ClipTokenizer.EndOfText}' the id 5000000", ex.Message);
    }

    [Fact]
    public void ANpyShapeWhoseCountWrapsRoundSixtyFourBitsIsRefused()
    {
        // 308761441 · 1867010176 · 8 wraps round 2^64 to a small count: a wrapped product would match the data.
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (308761441, 1867010176, 8), }";
        var bytes = new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)header.Length, 0 }
            .Concat(Encoding.Latin1.GetBytes(header)).Concat(new byte[64]).ToArray();
        var ex = Assert.Throws<HybridDiffusionException>(() => NpyArray.Parse(bytes, "wrapped.npy"));
        Assert.Contains("holds more values than any file can", ex.Message);
    }

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
    public void AnOnnxRuntimeFailureInARunNamesTheModelAndAStoppedRunIsACancellation()
    {
        // A graph that fails only when run: its input of any length is reshaped to exactly 3 values.
        var graph = new Core.Onnx.OnnxGraphBuilder("reshape");
        var x = graph.Input("x", Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float, "n");
        graph.Alias(graph.Node("Reshape", new[] { x, graph.Ints(3) }), "y");
        graph.Output("y", Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float, 3);
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(graph.ToBytes());
        using var input = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(new float[2], new long[] { 2 });
        using var runOptions = new Microsoft.ML.OnnxRuntime.RunOptions();
        void Run() => session.Run(runOptions, new[] { "x" }, new[] { input }, new[] { "y" }).Dispose();

        Exception Mapped()
        {
            try
            {
                Run();
            }
            catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException failure)
            {
                return Core.Onnx.OrtFailure.Of(failure, "/m/unet/model.onnx", "denoising", runOptions);
            }
            throw new InvalidOperationException("the graph ran");
        }

        var ex = Assert.IsType<HybridDiffusionException>(Mapped());
        Assert.Equal(HybridErrorKind.InvalidModel, ex.Kind);
        Assert.Contains("'/m/unet/model.onnx' failed in ONNX Runtime while denoising", ex.Message);
        Assert.IsType<Microsoft.ML.OnnxRuntime.OnnxRuntimeException>(ex.InnerException);

        runOptions.Terminate = true;
        Assert.IsType<OperationCanceledException>(Mapped());
    }

    // A UNet that keeps the engine's inputs but answers with twice the latent's channels (or a different shape of any
    // kind): the run ends in the engine's error naming the model file, exit 1, never a stack trace.
    [Fact]
    public async Task AUNetWhoseOutputIsNotTheLatentsShapeIsNamed()
    {
        using var folder = new TempFolder();
        var graph = new Core.Onnx.OnnxGraphBuilder("wide-unet");
        using (var demo = new Microsoft.ML.OnnxRuntime.InferenceSession(Path.Combine(DemoPair.Paths.DistilledModel, "unet", "model.onnx")))
        {
            foreach (var (name, input) in demo.InputMetadata)
            {
                graph.Input(name, input.ElementDataType, input.Dimensions.Select((d, i) => d >= 0 ? (object)(long)d : $"{name}_{i}").ToArray());
            }
        }
        graph.Alias(graph.Node("Tile", new[] { "sample", graph.Ints(1, 2, 1, 1) }), "out_sample");
        graph.Output("out_sample", Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float, "batch", 8, "height", "width");
        var unet = folder["wide-unet.onnx"];
        File.WriteAllBytes(unet, graph.ToBytes());

        var (code, _, errors) = await DiversityInputTests.Cli("new-image", "a red circle", "--mode", "distilled", "--count", "1",
            "--base-model", DemoPair.Paths.BaseModel, "--distilled-model", unet, "--output", folder["out"]);
        Assert.True(code == 1, $"exit {code}: {errors}");
        Assert.Contains(unet, errors);
        Assert.DoesNotContain("   at ", errors);
        Assert.False(Directory.Exists(folder["out"]) && Directory.EnumerateFiles(folder["out"], "*.png").Any());
    }

    // --- Memory and time without bounds -------------------------------------------------------------------------

    [Fact]
    public void AVocabularyOverItsCapIsRefusedBeforeReading()
    {
        using var folder = TokenizerCopy();
        var path = Path.Combine(folder.Path, "vocab.json");
        using (var stream = File.Open(path, FileMode.Truncate))
        {
            stream.SetLength(InputLimits.VocabularyBytes + 1);
        }
        var ex = Assert.Throws<HybridDiffusionException>(() => ClipTokenizer.Load(folder.Path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("over the limit of 16 MiB", ex.Message);
    }

    [Fact]
    public void ALongMergesLineIsRefusedByLineNumberWithoutRepeatingIt()
    {
        using var folder = TokenizerCopy();
        var path = Path.Combine(folder.Path, "merges.txt");
        File.AppendAllText(path, new string('x', 300_000) + " y\n");
        var ex = Assert.Throws<HybridDiffusionException>(() => ClipTokenizer.Load(folder.Path));
        Assert.Contains("is longer than 1,024 characters", ex.Message);
        Assert.True(ex.Message.Length < 1000, ex.Message);
    }

    [LinuxFact]
    public void PipesAndDevicesAreRefusedBeforeOpening()
    {
        using var folder = new TempFolder();
        var fifo = folder["latents.npy"];
        MakeFifo(fifo);
        foreach (var path in new[] { fifo, "/dev/zero" })
        {
            var read = Task.Run(() => Assert.Throws<HybridDiffusionException>(() => NpyArray.Read(path, "the initial latents")));
            Assert.True(read.Wait(Prompt), $"reading {path} hung");
            Assert.Contains("is not a regular file", read.Result.Message);
            var lora = Task.Run(() => Assert.Throws<HybridDiffusionException>(() => LoraFile.Load(path)));
            Assert.True(lora.Wait(Prompt), $"loading {path} as a LoRA hung");
            Assert.Contains("is not a regular file", lora.Result.Message);
        }
    }

    [LinuxFact]
    public void AModelFileThatIsAPipeIsRefusedBeforeOnnxRuntimeOpensIt()
    {
        using var temp = new TempFolder();
        var copy = temp.CopyFrom(DemoPair.Paths.BaseModel, "base");
        var unet = Path.Combine(copy, "unet", "model.onnx");
        File.Delete(unet);
        MakeFifo(unet);
        var run = Task.Run(() => Assert.Throws<HybridDiffusionException>(() =>
            TestEngine.Shared.Generate(DemoPair.Request("a photo", GenerationMode.Base, new long[] { 0 }) with { BaseModel = copy }).ToList()));
        Assert.True(run.Wait(Prompt), "loading a pipe as a model hung");
        Assert.Equal(HybridErrorKind.InvalidModel, run.Result.Kind);
        Assert.Contains(unet, run.Result.Message);
    }

    [Fact]
    public void AnArrayOverItsCapIsRefusedBeforeReading()
    {
        using var folder = new TempFolder();
        var path = folder["big.npy"];
        using (var stream = File.Create(path))
        {
            stream.SetLength(InputLimits.NpyBytes + 1);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<HybridDiffusionException>(() => NpyArray.Read(path, "the initial latents"));
        Assert.Contains("over the limit of 256 MiB", ex.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
    }

    // --- Unclear or silent --------------------------------------------------------------------------------------

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

    [Fact]
    public void NonFiniteLatentsNameTheLatentsFile()
    {
        using var folder = new TempFolder();
        var path = folder["nan.npy"];
        var values = new float[4 * 8 * 8];
        values[5] = float.NaN;
        new NpyArray(values, new[] { 1, 4, 8, 8 }).Write(path);
        var ex = Assert.Throws<HybridDiffusionException>(() => TestEngine.Shared.Generate(
            DemoPair.Request("a photo", GenerationMode.Distilled, new long[] { 0 }, new() { Width = 64, Height = 64 }) with { InitialLatents = path }).ToList());
        Assert.Equal(SettingId.InitialLatents, ex.Setting);
        Assert.Contains(path, ex.Message);
        Assert.Contains("hold NaN at value 5", ex.Message);
    }

    [Fact]
    public void ARepeatedMergeIsNamedByItsLines()
    {
        using var folder = TokenizerCopy();
        var path = Path.Combine(folder.Path, "merges.txt");
        var lines = File.ReadAllLines(path);
        var first = lines.First(l => l.Length > 0 && !l.StartsWith('#'));
        File.AppendAllText(path, first + "\n");
        var ex = Assert.Throws<HybridDiffusionException>(() => ClipTokenizer.Load(folder.Path));
        Assert.Contains($"line {lines.Length + 1} repeats the merge '{first}' of line {Array.IndexOf(lines, first) + 1}", ex.Message);
    }

    [Fact]
    public void MessagesEscapeControlCharactersOfTheInputTheyQuote()
    {
        var ex = new HybridDiffusionException(HybridErrorKind.InvalidModel, "key 'a\u001b]0;owned\u0007\nhybrid: error: forged\u009b31m' is unknown");
        Assert.Equal("key 'a\\u001b]0;owned\\u0007\\nhybrid: error: forged\\u009b31m' is unknown", ex.Message);
    }

    private static TempFolder TokenizerCopy()
    {
        var folder = new TempFolder();
        foreach (var file in Directory.GetFiles(Path.Combine(DemoPair.Paths.BaseModel, "tokenizer")))
        {
            File.Copy(file, folder[Path.GetFileName(file)]);
        }
        return folder;
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

    internal static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start("mkfifo", new[] { path });
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }
}
