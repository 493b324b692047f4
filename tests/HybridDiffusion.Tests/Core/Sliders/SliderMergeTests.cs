using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using HybridDiffusion.Contracts.Onnx;
using HybridDiffusion.Core;
using HybridDiffusion.Core.Models;
using HybridDiffusion.Core.Onnx;
using HybridDiffusion.Core.Onnx.Proto;
using HybridDiffusion.Core.Scheduling;
using HybridDiffusion.Core.Sliders;
using HybridDiffusion.Fixtures;

namespace HybridDiffusion.Tests.Core.Sliders;

/// <summary>A LoRA with a known ΔW merged through AddInitializer equals a model written with W + ΔW directly.</summary>
public sealed class SliderMergeTests
{
    private const int Rank = 2;
    private const float Alpha = 1.5f;
    private const float Strength = 0.8f;

    public static TheoryData<string, bool> Targets => new()
    {
        { "down_blocks_0_attentions_0_transformer_blocks_0_attn2_to_k", false },  // MatMul, weight stored [in, out]
        { "time_embedding_linear_2", false },                                      // Gemm, transB = 1
        { "mid_block_resnets_0_conv1", false },                                    // Conv 1×1
        { "conv_in", false },                                                      // Conv 3×3
        { "down_blocks_0_attentions_0_transformer_blocks_0_attn2_to_k", true },
        { "time_embedding_linear_2", true },
        { "mid_block_resnets_0_conv1", true },
        { "conv_in", true },
    };

    [Theory]
    [MemberData(nameof(Targets))]
    public void MergedWeightsEqualAModelWrittenWithThemDirectly(string module, bool float16)
    {
        using var folder = new TempFolder();
        var contract = new UNetContract(32, TimestepStyle.Int64Batch, Float16: float16);
        var model = ContractFixtures.UNet(contract, seed: 3);
        var original = folder["unet.onnx"];
        File.WriteAllBytes(original, model.ToByteArray());

        var target = UNetWeights.Load(original).Targets[module];
        var (outputs, inputs, kernel) = Shape(target);
        var down = Random(Rank * inputs * kernel, 1);
        var up = Random(outputs * Rank, 2);
        var lora = folder["slider.safetensors"];
        File.WriteAllBytes(lora, SafeTensors.Write(new[]
        {
            ($"lora_unet_{module}.lora_down.weight", kernel == 1 ? new long[] { Rank, inputs } : new long[] { Rank, inputs, 3, 3 }, down),
            ($"lora_unet_{module}.lora_up.weight", kernel == 1 ? new long[] { outputs, Rank } : new long[] { outputs, Rank, 1, 1 }, up),
            ($"lora_unet_{module}.alpha", Array.Empty<long>(), new[] { Alpha }),
        }));

        // Reference: W + ΔW computed independently, in double, written into a copy of the model.
        var direct = folder["direct.onnx"];
        var tensor = model.Graph.Initializer.Single(t => t.Name == target.Initializer);
        var weight = Decode(tensor);
        for (int o = 0; o < outputs; o++)
        {
            for (int i = 0; i < inputs * kernel; i++)
            {
                double delta = 0;
                for (int r = 0; r < Rank; r++)
                {
                    delta += up[o * Rank + r] * (double)down[r * inputs * kernel + i];
                }
                int index = target.Layout == WeightLayout.InputByOutput ? i * outputs + o : o * inputs * kernel + i;
                weight[index] = (float)(weight[index] + Strength * Alpha / Rank * delta);
            }
        }
        Encode(tensor, weight);
        File.WriteAllBytes(direct, model.ToByteArray());

        var (overrides, report) = LoraMerger.Merge(original, new[] { (LoraFile.Load(lora), Strength) }, strict: true, NullEngineLog.Instance, "test slider");
        Assert.Equal(new[] { module }, report.Applied);
        Assert.Empty(report.Unmatched);
        var merged = Run(original, overrides);
        var expected = Run(direct, null);
        var unchanged = Run(original, null);
        double tolerance = float16 ? 2e-3 : 1e-5;
        Assert.All(merged.Zip(expected), p => Assert.True(Math.Abs(p.First - p.Second) <= tolerance * (1 + Math.Abs(p.Second)), $"{p.First} vs {p.Second}"));
        Assert.True(merged.Zip(unchanged).Max(p => Math.Abs(p.First - p.Second)) > 10 * tolerance, "the merge should change the output");
        // The model file itself is never modified.
        Assert.Equal(model.Graph.Initializer.Count, ModelProto.Parser.ParseFrom(File.ReadAllBytes(original)).Graph.Initializer.Count);
        Assert.NotEqual(File.ReadAllBytes(direct), File.ReadAllBytes(original));
    }

    private static (int Outputs, int Inputs, int Kernel) Shape(WeightTarget target)
    {
        var d = target.Dims;
        return target.OpType switch
        {
            "MatMul" => ((int)d[1], (int)d[0], 1),
            "Gemm" => ((int)d[0], (int)d[1], 1),
            _ => ((int)d[0], (int)d[1], (int)(d[2] * d[3])),
        };
    }

    private static float[] Run(string path, InitializerOverrides? overrides)
    {
        var settings = new SessionSettings(ExecutionProvider.Cpu);
        using var sessions = new SessionCache();
        using var lease = sessions.Acquire(path, settings, null, overrides?.Variant, overrides is null ? null : () => overrides);
        using var unet = new UNetModel(lease, path);
        using var binding = unet.Bind(1, 4, 4, 77, 32);
        new GaussianNoise(5).Fill(binding.Sample);
        new GaussianNoise(6).Fill(binding.HiddenStates);
        binding.CommitConditioning();
        using var runOptions = new RunOptions();
        binding.Run(500, runOptions);
        return binding.Output.ToArray();
    }

    private static float[] Random(int count, int seed)
    {
        var values = new float[count];
        new GaussianNoise(seed).Fill(values, 0.5f);
        return values;
    }

    private static float[] Decode(TensorProto tensor)
    {
        var bytes = tensor.RawData.ToByteArray();
        return tensor.DataType == (int)TensorProto.Types.DataType.Float16
            ? Enumerable.Range(0, bytes.Length / 2).Select(i => (float)BitConverter.ToHalf(bytes, i * 2)).ToArray()
            : Enumerable.Range(0, bytes.Length / 4).Select(i => BitConverter.ToSingle(bytes, i * 4)).ToArray();
    }

    private static void Encode(TensorProto tensor, float[] values)
    {
        var bytes = tensor.DataType == (int)TensorProto.Types.DataType.Float16
            ? values.SelectMany(v => BitConverter.GetBytes((Half)v)).ToArray()
            : values.SelectMany(BitConverter.GetBytes).ToArray();
        tensor.RawData = ByteString.CopyFrom(bytes);
    }
}
