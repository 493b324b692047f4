namespace HybridDiffusion.Core.Sliders;

/// <summary>How one file's keys matched a UNet: its low-rank modules that found a weight, and the keys that found none.</summary>
internal sealed record FileMatch(string File, int Modules, int Matched, IReadOnlyList<string> Unmatched);

/// <summary>What a merge did: the weights it changed (module paths in the graph), the keys it could not place, per file.</summary>
internal sealed record MergeReport(IReadOnlyList<string> Applied, IReadOnlyList<string> Unmatched, IReadOnlyList<FileMatch> Files);

/// <summary>
/// Merges low-rank updates into a UNet's weights: W' = W + Σ strength·(alpha/rank)·up·down, computed in float32 and cast
/// back to the weight's type (MatMul weights are stored [in, out], so their update is added transposed). A file's module
/// matches the one weight whose graph path ends with it at a scope boundary (<see cref="UNetWeights.Match"/>); a module
/// that matches several is refused. The result replaces the initializers through SessionOptions.AddInitializer; the model
/// file is never modified.
/// </summary>
internal static class LoraMerger
{
    private const int ListedKeys = 5;

    /// <param name="variant">Names the merged weights in the session cache and its listing.</param>
    public static (InitializerOverrides Overrides, MergeReport Report) Merge(string unetPath, IReadOnlyList<(LoraFile File, float Strength)> sliders,
        bool strict, IEngineLog log, string variant)
    {
        var weights = UNetWeights.Load(unetPath);
        var merged = new Dictionary<string, (WeightTarget Target, float[] Values)>(StringComparer.Ordinal);
        var applied = new List<string>();
        var files = new List<FileMatch>();
        foreach (var (file, strength) in sliders)
        {
            var matches = file.Modules.Select(m => (Module: m, Targets: weights.Match(m.Module))).ToList();
            var ambiguous = matches.FirstOrDefault(m => m.Targets.Count > 1);
            if (ambiguous.Module is not null)
            {
                throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
                    $"Key {ambiguous.Module.SourceKey} in '{file.Path}' matches {ambiguous.Targets.Count} weights of UNet '{unetPath}': " +
                    $"{string.Join(", ", ambiguous.Targets.Select(t => t.Module))}. Its module path ({ambiguous.Module.Module}) is the end of each; " +
                    "nothing was merged, since the file cannot say which it means; rename the key to the longer path of the one it is for.", file.Path);
            }
            var missing = matches.Where(m => m.Targets.Count == 0).Select(m => m.Module.SourceKey).Concat(file.OtherKeys).ToList();
            var match = new FileMatch(file.Path, file.Modules.Count, matches.Count(m => m.Targets.Count == 1), missing);
            log.Verbose($"'{file.Path}': {match.Matched} of {match.Modules} low-rank modules match a weight of '{unetPath}'; " +
                $"{missing.Count} key(s) unmatched{(missing.Count > 0 ? $", e.g. {string.Join(", ", missing.Take(ListedKeys))}" : "")}.");
            if (missing.Count > 0 && (strict || match.Matched == 0))
            {
                throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
                    $"{(strict ? $"{missing.Count} of the keys" : "None of the keys")} in '{file.Path}' match a weight of UNet '{unetPath}', " +
                    $"e.g. {string.Join(", ", missing.Take(ListedKeys))}. The file may be for another architecture (SD 1.5 vs SDXL) " +
                    $"or for a text encoder{(strict ? "; turn off strict slider matching to apply the keys that match" : "")}.", file.Path);
            }
            files.Add(match);
            foreach (var (module, targets) in matches.Where(m => m.Targets.Count == 1))
            {
                var target = targets[0];
                if (!merged.TryGetValue(target.Initializer, out var entry))
                {
                    entry = (target, weights.Read(target));
                    merged[target.Initializer] = entry;
                }
                AddUpdate(module, strength, entry.Target, entry.Values, file.Path);
                applied.Add(target.Module);
            }
        }
        var unmatched = files.SelectMany(f => f.Unmatched).ToList();
        if (unmatched.Count > 0)
        {
            log.Warning($"{unmatched.Count} slider key(s) match no weight of '{unetPath}' and were skipped, e.g. {string.Join(", ", unmatched.Take(ListedKeys))}.");
        }
        foreach (var (target, values) in merged.Values)
        {
            CheckFinite(target, values, unetPath, sliders);
        }
        // ONNX's FLOAT (1) and FLOAT16 (10) codes are ONNX Runtime's element types, the only ones UNetWeights reads.
        var overrides = merged.Values.Select(m => (m.Target.Initializer, OrtTensors.FloatingInput(
            (Microsoft.ML.OnnxRuntime.Tensors.TensorElementType)m.Target.DataType, m.Values, m.Target.Dims.ToArray(), m.Target.Initializer, unetPath))).ToList();
        return (new InitializerOverrides(variant, overrides), new MergeReport(applied.Distinct().ToList(), unmatched, files));
    }

    // Finite factors can still overflow: float32 past 3.4e38, or a float16 weight past 65504 once cast back.
    private static void CheckFinite(WeightTarget target, float[] values, string unetPath, IReadOnlyList<(LoraFile File, float Strength)> sliders)
    {
        float limit = target.DataType == (int)Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float16 ? (float)Half.MaxValue : float.MaxValue;
        if (Array.FindIndex(values, v => !(Math.Abs(v) <= limit)) is int bad and >= 0)
        {
            throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
                $"Merging {string.Join(", ", sliders.Select(s => $"'{s.File.Path}' at {s.Strength}"))} into weight {target.Initializer} ({target.Module}) " +
                $"of UNet '{unetPath}' gives {values[bad]} at element {bad}, beyond what the weight's type holds; use a smaller strength.",
                sliders[0].File.Path);
        }
    }

    /// <summary>Adds strength·(alpha/rank)·up·down to <paramref name="weight"/> in its layout.</summary>
    internal static void AddUpdate(LoraModule module, float strength, WeightTarget target, float[] weight, string file)
    {
        int rank = module.Rank;
        int outputs = (int)module.UpShape[0];
        int inputs = module.Down.Length / rank;   // in · kh · kw
        // Each factor against the weight's own sizes, not just the product: down and up swapped on a [10, 4] weight give
        // the same element count with the roles of its rows and columns exchanged.
        var dims = target.Dims;
        var (weightOutputs, weightInputs) = dims.Count < 2 ? (-1L, -1L)
            : target.Layout == WeightLayout.OutputByInput ? (dims[0], dims.Skip(1).Aggregate(1L, (a, d) => a * d)) : (dims[1], dims[0]);
        if (outputs != weightOutputs || inputs != weightInputs || (long)outputs * inputs != weight.Length)
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
