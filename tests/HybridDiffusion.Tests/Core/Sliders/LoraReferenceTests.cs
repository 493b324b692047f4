using System.Buffers.Binary;
using System.Text.RegularExpressions;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;
using HybridDiffusion.Contracts.Onnx;
using HybridDiffusion.Core;
using HybridDiffusion.Core.Models;
using HybridDiffusion.Core.Onnx;
using HybridDiffusion.Core.Onnx.Proto;
using HybridDiffusion.Core.Sliders;

namespace HybridDiffusion.Tests.Core.Sliders;

/// <summary>
/// The LoRA files of ../shared/diffusers-reference on its scoped sd-tiny UNet ("/u/down_blocks.1/...",
/// "u.down_blocks.1....weight"): every module matches, the merge is W + s·(alpha/rank)·up·down on every key, and the
/// merged UNet gives diffusers' fused-LoRA output of case sd-ddim-10-lora+1.
/// </summary>
public sealed class LoraReferenceTests
{
    private const int ReferenceModules = 117;
    private const string Kohya = "sd-tiny-kohya.safetensors";
    private const string KohyaFloat16 = "sd-tiny-kohya-fp16.safetensors";
    private const string Peft = "sd-tiny-peft.safetensors";
    private readonly ITestOutputHelper _output;

    public LoraReferenceTests(ITestOutputHelper output) => _output = output;

    private static string Reference => SharedData.RequireDiffusersReference();

    private static string UNetPath => Path.Combine(Reference, "sd-tiny", "unet", "model.onnx");

    private static string Case => Path.Combine(Reference, "cases", "sd-ddim-10-lora+1");

    [ReferenceTheory]
    [InlineData(Kohya)]
    [InlineData(KohyaFloat16)]
    [InlineData(Peft)]
    public void EveryModuleMatchesTheScopedUNetAndTheCountsAreLogged(string file)
    {
        var log = new CollectingLog();
        var (overrides, report) = Merge(file, log);
        using (overrides)
        {
            var match = Assert.Single(report.Files);
            _output.WriteLine($"{file}: {match.Matched} of {match.Modules} modules matched, {match.Unmatched.Count} keys unmatched");
            Assert.Equal(ReferenceModules, match.Modules);
            Assert.Equal(ReferenceModules, match.Matched);
            Assert.Empty(match.Unmatched);
            Assert.Equal(ReferenceModules, overrides.Values.Count);
            Assert.All(report.Applied, module => Assert.StartsWith("u_", module));
            Assert.Contains(log.Messages, l => l.Contains(file) && l.Contains($"{ReferenceModules} of {ReferenceModules} low-rank modules match"));
        }
    }

    [ReferenceFact]
    public void MergedWeightsAreWPlusScaledUpTimesDownOnEveryKey()
    {
        const float strength = 0.7f;
        var lora = SafeTensors.Read(Path.Combine(Reference, "lora", Kohya));
        var graph = ModelProto.Parser.ParseFrom(File.ReadAllBytes(UNetPath)).Graph;
        var initializers = graph.Initializer.ToDictionary(t => t.Name);
        var (overrides, _) = LoraMerger.Merge(UNetPath, new[] { (LoraFile.Load(Path.Combine(Reference, "lora", Kohya)), strength) },
            strict: true, NullEngineLog.Instance, "reference test");
        using (overrides)
        {
            var merged = overrides.Values.ToDictionary(v => v.Name, v => v.Value.GetTensorDataAsSpan<float>().ToArray());
            int checkedKeys = 0;
            // The export's own names, read independently: node "/u/<path with / and .>/<Op>" uses weight input[1].
            foreach (var node in graph.Node.Where(n => n.OpType is "MatMul" or "Gemm" or "Conv" && n.Input.Count > 1 && initializers.ContainsKey(n.Input[1])))
            {
                var module = Regex.Replace(node.Name, @"^/u/(.*)/[A-Za-z]+(_\d+)?$", "$1").Replace('/', '_').Replace('.', '_');
                if (!lora.TryGetValue($"lora_unet_{module}.lora_down.weight", out var down))
                {
                    continue;
                }
                var up = lora[$"lora_unet_{module}.lora_up.weight"];
                double alpha = lora[$"lora_unet_{module}.alpha"].Values[0];
                int rank = (int)down.Shape[0], outputs = (int)up.Shape[0], inputs = down.Values.Length / rank;
                var weight = initializers[node.Input[1]];
                var original = weight.RawData.ToByteArray();
                bool transposed = node.OpType == "MatMul";   // torch Linear exported as x·Wᵀ stores W as [in, out]
                var actual = merged[weight.Name];
                Assert.Equal(outputs * inputs, actual.Length);
                double worst = 0, largestDelta = 0;
                for (int o = 0; o < outputs; o++)
                {
                    for (int i = 0; i < inputs; i++)
                    {
                        double delta = 0;
                        for (int r = 0; r < rank; r++)
                        {
                            delta += (double)up.Values[o * rank + r] * down.Values[r * inputs + i];
                        }
                        delta *= strength * alpha / rank;
                        int index = transposed ? i * outputs + o : o * inputs + i;
                        double expected = BinaryPrimitives.ReadSingleLittleEndian(original.AsSpan(index * 4)) + delta;
                        worst = Math.Max(worst, Math.Abs(actual[index] - expected) / (1 + Math.Abs(expected)));
                        largestDelta = Math.Max(largestDelta, Math.Abs(delta));
                    }
                }
                Assert.True(worst < 1e-6, $"{module}: merged weight differs from W + s·(alpha/rank)·up·down by {worst:E2}");
                Assert.True(largestDelta > 1e-4, $"{module}: the update should change the weight");
                checkedKeys++;
            }
            Assert.Equal(ReferenceModules, checkedKeys);
        }
    }

    // diffusers fused the float32 file; the fp16 twin's factors are rounded (2^-11 relative each), which moves the
    // LoRA's effect on the output by about 2^-10 of itself.
    [ReferenceTheory]
    [InlineData(Kohya, false)]
    [InlineData(Peft, false)]
    [InlineData(KohyaFloat16, true)]
    public void TheMergedUNetGivesDiffusersFusedLoraOutput(string file, bool float16)
    {
        var (sampleShape, sample) = Npy.Read(Path.Combine(Case, "step0_model_input.npy"));
        var (hiddenShape, hidden) = Npy.Read(Path.Combine(Case, "step0_encoder_hidden_states.npy"));
        var (_, expected) = Npy.Read(Path.Combine(Case, "step0_unet_output.npy"));
        using var description = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(Case, "case.json")));
        int timestep = (int)description.RootElement.GetProperty("steps")[0].GetProperty("timestep").GetDouble();
        float strength = description.RootElement.GetProperty("lora").GetProperty("strength").GetSingle();
        var (overrides, _) = Merge(file, NullEngineLog.Instance, strength);
        var merged = RunUNet(overrides, sampleShape, sample, hiddenShape, hidden, timestep);
        var plain = RunUNet(null, sampleShape, sample, hiddenShape, hidden, timestep);
        double difference = MaxAbs(merged, expected), withoutLora = MaxAbs(plain, expected);
        double tolerance = float16 ? Math.Pow(2, -10) * withoutLora : 1e-5;
        _output.WriteLine($"{file}: step 0 UNet output vs diffusers max abs {difference:E2} (without the LoRA {withoutLora:E2})");
        Assert.True(difference <= tolerance, $"{file}: max abs {difference:E2} > {tolerance:E2}");
        Assert.True(withoutLora > 0.1, "the LoRA should change the output");
    }

    [ReferenceFact]
    public void PeftAndFloat16FilesMergeLikeTheKohyaFile()
    {
        var (kohya, _) = Merge(Kohya, NullEngineLog.Instance);
        var (peft, _) = Merge(Peft, NullEngineLog.Instance);
        var (half, _) = Merge(KohyaFloat16, NullEngineLog.Instance);
        using (kohya)
        using (peft)
        using (half)
        {
            var original = UNetWeights.Load(UNetPath);
            var targets = original.Targets.Values.DistinctBy(t => t.Initializer).ToDictionary(t => t.Initializer);
            var reference = kohya.Values.ToDictionary(v => v.Name, v => v.Value.GetTensorDataAsSpan<float>().ToArray());
            foreach (var (other, float16) in new[] { (peft, false), (half, true) })
            {
                Assert.Equal(reference.Keys.Order(), other.Values.Select(v => v.Name).Order());
                foreach (var (name, value) in other.Values)
                {
                    var weight = original.Read(targets[name]);
                    var expected = reference[name];
                    var actual = value.GetTensorDataAsSpan<float>().ToArray();
                    // fp16 factors carry a relative error of 2^-11 each: bound by the update's own size.
                    double largestDelta = expected.Select((e, i) => Math.Abs(e - weight[i])).Max();
                    double tolerance = float16 ? 2e-3 * largestDelta : 1e-6;
                    double worst = expected.Select((e, i) => Math.Abs(actual[i] - e) / (float16 ? 1 : 1 + Math.Abs(e))).Max();
                    Assert.True(worst <= tolerance, $"{name} ({(float16 ? "fp16" : "PEFT")}): {worst:E2} from the kohya merge (bound {tolerance:E2})");
                }
            }
        }
    }

    private static (InitializerOverrides Overrides, MergeReport Report) Merge(string file, IEngineLog log, float strength = 1) =>
        LoraMerger.Merge(UNetPath, new[] { (LoraFile.Load(Path.Combine(Reference, "lora", file)), strength) }, strict: true, log, $"reference {file}@{strength}");

    private static float[] RunUNet(InitializerOverrides? overrides, long[] sampleShape, float[] sample, long[] hiddenShape, float[] hidden, int timestep)
    {
        var settings = new SessionSettings(ExecutionProvider.Cpu);
        using var sessions = new SessionCache();
        using var lease = sessions.Acquire(UNetPath, settings, null, overrides?.Variant, overrides is null ? null : () => overrides);
        using var unet = new UNetModel(lease, UNetPath);
        using var binding = unet.Bind((int)sampleShape[0], (int)sampleShape[2], (int)sampleShape[3], (int)hiddenShape[1], (int)hiddenShape[2]);
        sample.CopyTo(binding.Sample);
        hidden.CopyTo(binding.HiddenStates);
        binding.CommitConditioning();
        using var runOptions = new RunOptions();
        binding.Run(timestep, runOptions);
        return binding.Output.ToArray();
    }

    private static double MaxAbs(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        return a.Zip(b).Max(p => (double)Math.Abs(p.First - p.Second));
    }

    /// <summary>numpy's .npy for the little-endian float32, C-order arrays the reference cases hold.</summary>
    private static class Npy
    {
        public static (long[] Shape, float[] Values) Read(string path)
        {
            var bytes = File.ReadAllBytes(path);
            Assert.True(bytes.Length > 10 && bytes[0] == 0x93 && bytes.AsSpan(1, 5).SequenceEqual("NUMPY"u8), $"{path} is not .npy");
            bool wideHeader = bytes[6] >= 2;
            int headerLength = wideHeader ? (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)) : BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
            int dataStart = (wideHeader ? 12 : 10) + headerLength;
            var header = System.Text.Encoding.ASCII.GetString(bytes, wideHeader ? 12 : 10, headerLength);
            Assert.Contains("'descr': '<f4'", header);
            Assert.Contains("'fortran_order': False", header);
            var shape = Regex.Match(header, @"'shape': \(([^)]*)\)").Groups[1].Value
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(long.Parse).ToArray();
            var values = new float[shape.Aggregate(1L, (a, b) => a * b)];
            Assert.Equal(values.Length * 4L, bytes.Length - dataStart);
            Buffer.BlockCopy(bytes, dataStart, values, 0, values.Length * 4);
            return (shape, values);
        }
    }
}
