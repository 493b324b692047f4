namespace HybridDiffusion.Core.Sliders;

/// <summary>One low-rank update: ΔW = (alpha/rank)·up·down for the UNet module <see cref="Module"/> (a '_'-joined path).</summary>
internal sealed record LoraModule(string Module, string SourceKey, float[] Down, IReadOnlyList<long> DownShape, float[] Up, IReadOnlyList<long> UpShape, float Alpha)
{
    public int Rank => (int)DownShape[0];
}

/// <summary>
/// A slider or LoRA file's UNet modules. Reads the Concept Sliders / kohya layout ("lora_unet_{path}.lora_down.weight",
/// ".lora_up.weight", ".alpha") and the diffusers/PEFT layout ("unet.{path}.lora_A.weight", ".lora_B.weight", alpha = rank).
/// Keys of text encoders and anything else that is not a UNet low-rank pair are kept as <see cref="OtherKeys"/>.
/// </summary>
internal sealed class LoraFile
{
    private static readonly string[] s_peftPrefixes = { "unet.", "base_model.model.", "" };
    private static readonly string[] s_textEncoderPrefixes = { "lora_te_", "lora_te1_", "lora_te2_", "text_encoder.", "text_encoder_2.", "te." };

    private LoraFile(string path, IReadOnlyList<LoraModule> modules, IReadOnlyList<string> otherKeys)
    {
        Path = path;
        Modules = modules;
        OtherKeys = otherKeys;
    }

    public string Path { get; }

    public IReadOnlyList<LoraModule> Modules { get; }

    /// <summary>Keys that are not UNet low-rank pairs (text-encoder LoRA, stray tensors): never applied.</summary>
    public IReadOnlyList<string> OtherKeys { get; }

    public static LoraFile Load(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        var tensors = SafeTensors.Read(full);
        var pairs = new Dictionary<string, (SafeTensor? Down, SafeTensor? Up, SafeTensor? Alpha, string Source)>(StringComparer.Ordinal);
        var other = new List<string>();
        foreach (var (key, tensor) in tensors)
        {
            if (!TryParse(key, out var module, out var part))
            {
                other.Add(key);
                continue;
            }
            var entry = pairs.GetValueOrDefault(module, (null, null, null, key));
            pairs[module] = part switch
            {
                "down" => entry with { Down = tensor },
                "up" => entry with { Up = tensor },
                _ => entry with { Alpha = tensor },
            };
        }
        var modules = new List<LoraModule>();
        foreach (var (module, (down, up, alpha, source)) in pairs.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (down is null || up is null)
            {
                other.Add(source);
                continue;
            }
            CheckPair(full, module, down, up, alpha);
            modules.Add(new LoraModule(module, source, down.Values, down.Shape, up.Values, up.Shape, alpha?.Values[0] ?? down.Shape[0]));
        }
        return new LoraFile(full, modules, other.Order(StringComparer.Ordinal).ToList());
    }

    // A pair the merge can use: rank ≥ 1 that down and up agree on, up of shape [out, rank(, 1, 1)], one finite alpha,
    // and only finite values (a NaN or infinity would turn every image black).
    private static void CheckPair(string file, string module, SafeTensor down, SafeTensor up, SafeTensor? alpha)
    {
        string Shapes() => $"down [{string.Join(", ", down.Shape)}] and up [{string.Join(", ", up.Shape)}]";
        if (down.Shape.Count < 2 || up.Shape.Count < 2 || up.Shape[1] != down.Shape[0])
        {
            throw Damaged(file, $"module {module} has {Shapes()}, whose ranks do not agree (down is [rank, in, ...], up is [out, rank, ...])");
        }
        if (down.Shape[0] == 0 || down.Values.Length == 0 || up.Values.Length == 0)
        {
            throw Damaged(file, $"module {module} has {Shapes()}: rank 0 or an empty tensor, so it changes nothing and has no scale alpha/rank");
        }
        if (up.Values.Length != up.Shape[0] * up.Shape[1])
        {
            throw Damaged(file, $"module {module} has {Shapes()}; up must be [out, rank] or [out, rank, 1, 1]");
        }
        if (alpha is not null && alpha.Values.Length != 1)
        {
            throw Damaged(file, $"key {alpha.Name} holds {alpha.Values.Length} values; alpha is one number");
        }
        foreach (var tensor in new[] { down, up, alpha }.OfType<SafeTensor>())
        {
            int bad = Array.FindIndex(tensor.Values, v => !float.IsFinite(v));
            if (bad >= 0)
            {
                var value = float.IsNaN(tensor.Values[bad]) ? "NaN" : "an infinite value";
                throw Damaged(file, $"key {tensor.Name} holds {value} at element {bad}; the file is damaged (such weights would make every image black)");
            }
        }
    }

    private static HybridDiffusionException Damaged(string file, string problem) =>
        new(HybridErrorKind.InvalidModel, $"'{file}': {problem}.", file);

    /// <summary>Splits a key into its UNet module ('_'-joined path) and the part: down, up or alpha.</summary>
    private static bool TryParse(string key, out string module, out string part)
    {
        (module, part) = ("", "");
        if (s_textEncoderPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal)))
        {
            return false;
        }
        foreach (var (suffix, kind) in new[]
        {
            (".lora_down.weight", "down"), (".lora_up.weight", "up"), (".alpha", "alpha"),
            (".lora_A.weight", "down"), (".lora_B.weight", "up"), (".lora.down.weight", "down"), (".lora.up.weight", "up"),
        })
        {
            if (!key.EndsWith(suffix, StringComparison.Ordinal))
            {
                continue;
            }
            var name = key[..^suffix.Length];
            if (name.StartsWith("lora_unet_", StringComparison.Ordinal))
            {
                (module, part) = (name["lora_unet_".Length..], kind);
                return true;
            }
            var prefix = s_peftPrefixes.First(p => name.StartsWith(p, StringComparison.Ordinal));
            (module, part) = (name[prefix.Length..].Replace('.', '_'), kind);
            return module.Length > 0;
        }
        return false;
    }
}
