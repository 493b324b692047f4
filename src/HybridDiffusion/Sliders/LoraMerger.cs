using System.Numerics.Tensors;
using HybridDiffusion.Models;
using HybridDiffusion.Onnx;

namespace HybridDiffusion.Sliders;

/// <summary>What a merge did: the modules it changed and the keys it could not place.</summary>
public sealed record MergeReport(IReadOnlyList<string> Applied, IReadOnlyList<string> Unmatched);

/// <summary>
/// Merges low-rank updates into a UNet's weights: W' = W + Σ strength·(alpha/rank)·up·down, computed in float32 and cast
/// back to the weight's type (MatMul weights are stored [in, out], so their update is added transposed). The result
/// replaces the initializers through SessionOptions.AddInitializer; the model file is never modified.
/// </summary>
public static class LoraMerger
{
    private const int ListedUnmatched = 5;

    /// <param name="variant">Names the merged weights in the session cache and its listing.</param>
    public static (InitializerOverrides Overrides, MergeReport Report) Merge(string unetPath, IReadOnlyList<(LoraFile File, float Strength)> sliders,
        bool strict, IEngineLog log, string variant)
    {
        var weights = UNetWeights.Load(unetPath);
        var merged = new Dictionary<string, (WeightTarget Target, float[] Values)>(StringComparer.Ordinal);
        var applied = new List<string>();
        var unmatched = new List<string>();
        foreach (var (file, strength) in sliders)
        {
            var missing = file.Modules.Where(m => !weights.Targets.ContainsKey(m.Module)).Select(m => m.SourceKey).Concat(file.OtherKeys).ToList();
            if (missing.Count > 0 && (strict || missing.Count == file.Modules.Count + file.OtherKeys.Count))
            {
                throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
                    $"{(strict ? $"{missing.Count} of the keys" : "None of the keys")} in '{file.Path}' match a weight of UNet '{unetPath}', " +
                    $"e.g. {string.Join(", ", missing.Take(ListedUnmatched))}. The file may be for another architecture (SD 1.5 vs SDXL) " +
                    $"or for a text encoder{(strict ? "; leave out -Strict to apply the keys that match" : "")}.", file.Path);
            }
            unmatched.AddRange(missing);
            foreach (var module in file.Modules.Where(m => weights.Targets.ContainsKey(m.Module)))
            {
                var target = weights.Targets[module.Module];
                if (!merged.TryGetValue(target.Initializer, out var entry))
                {
                    entry = (target, weights.Read(target));
                    merged[target.Initializer] = entry;
                }
                AddUpdate(module, strength, entry.Target, entry.Values, file.Path);
                applied.Add(module.Module);
            }
        }
        if (unmatched.Count > 0)
        {
            log.Warning($"{unmatched.Count} slider key(s) match no weight of '{unetPath}' and were skipped, e.g. {string.Join(", ", unmatched.Take(ListedUnmatched))}.");
        }
        // ONNX's FLOAT (1) and FLOAT16 (10) codes are ONNX Runtime's element types, the only ones UNetWeights reads.
        var values = merged.Values.Select(m => (m.Target.Initializer, OrtTensors.FloatingInput(
            (Microsoft.ML.OnnxRuntime.Tensors.TensorElementType)m.Target.DataType, m.Values, m.Target.Dims.ToArray(), m.Target.Initializer, unetPath))).ToList();
        return (new InitializerOverrides(variant, values), new MergeReport(applied.Distinct().ToList(), unmatched));
    }

    /// <summary>Adds strength·(alpha/rank)·up·down to <paramref name="weight"/> in its layout.</summary>
    internal static void AddUpdate(LoraModule module, float strength, WeightTarget target, float[] weight, string file)
    {
        int rank = module.Rank;
        int outputs = (int)module.UpShape[0];
        int inputs = module.Down.Length / rank;   // in · kh · kw
        if ((long)outputs * inputs != weight.Length)
        {
            throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
                $"'{file}': module {module.Module} updates a [{outputs} x {inputs}] weight, but {target.Initializer} has shape " +
                $"[{string.Join(", ", target.Dims)}]; the slider is for a different model.", file);
        }
        float scale = strength * module.Alpha / rank;
        var row = new float[inputs];
        for (int o = 0; o < outputs; o++)
        {
            // ΔW[o, :] = scale · Σ_r up[o, r] · down[r, :]
            Array.Clear(row);
            for (int r = 0; r < rank; r++)
            {
                TensorPrimitives.MultiplyAdd(module.Down.AsSpan(r * inputs, inputs), module.Up[o * rank + r] * scale, row, row);
            }
            if (target.Layout == WeightLayout.OutputByInput)
            {
                TensorPrimitives.Add(weight.AsSpan(o * inputs, inputs), row, weight.AsSpan(o * inputs, inputs));
            }
            else
            {
                for (int i = 0; i < inputs; i++)
                {
                    weight[i * outputs + o] += row[i];
                }
            }
        }
    }
}
