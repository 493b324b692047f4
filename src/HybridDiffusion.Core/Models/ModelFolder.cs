namespace HybridDiffusion.Core.Models;

/// <summary>
/// A diffusers-ONNX model folder (model_index.json, unet/, text_encoder/ [+ text_encoder_2/ for SDXL], vae_decoder/,
/// tokenizer/ [+ tokenizer_2/], scheduler/), or a single UNet .onnx file. Only the UNet is required: distilled
/// variants often ship a UNet alone and share the rest with their base model.
/// </summary>
internal sealed class ModelFolder
{
    // Pipelines this tool cannot run, by the model_index.json class name they start with, and what to call them.
    private static readonly (string Prefix, string Family)[] s_unsupported =
    {
        ("StableDiffusion3", "Stable Diffusion 3"), ("Flux", "Flux"), ("PixArt", "PixArt"), ("Sana", "Sana"),
        ("Kandinsky", "Kandinsky"), ("StableCascade", "Stable Cascade"), ("AuraFlow", "AuraFlow"), ("Lumina", "Lumina"),
        ("HunyuanDiT", "Hunyuan-DiT"), ("CogView", "CogView"), ("Wuerstchen", "Würstchen"),
    };

    private readonly string? _unetFile;

    private ModelFolder(string path, string? unetFile = null)
    {
        FullPath = path;
        _unetFile = unetFile;
        Name = System.IO.Path.GetFileName(path.TrimEnd(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar));
    }

    public const string SupportedFamilies =
        "Stable Diffusion 1.5 and 2.1, SDXL, and distilled UNets of them (SDXL-Turbo, SDXL-Lightning, LCM, DMD2)";

    public string FullPath { get; }

    public string Name { get; private set; }

    /// <summary>True for a single UNet .onnx file: everything else comes from the base model.</summary>
    public bool IsUNetOnly => _unetFile is not null;

    public string UnetPath => _unetFile ?? Combine("unet", "model.onnx");

    public string? TextEncoderPath => Existing("text_encoder", "model.onnx");

    /// <summary>SDXL's second text encoder (OpenCLIP bigG with projection), if the folder has one.</summary>
    public string? TextEncoder2Path => Existing("text_encoder_2", "model.onnx");

    public string? Tokenizer2Directory => IsUNetOnly ? null : File.Exists(Combine("tokenizer_2", "vocab.json")) ? Combine("tokenizer_2") : null;

    public string? VaeDecoderPath => Existing("vae_decoder", "model.onnx");

    public string? TokenizerDirectory => IsUNetOnly ? null : File.Exists(Combine("tokenizer", "vocab.json")) ? Combine("tokenizer") : null;

    public string? SchedulerConfigPath => Existing("scheduler", "scheduler_config.json");

    /// <summary>Opens and checks a folder; <paramref name="parameter"/> names the option it came from in errors.</summary>
    public static ModelFolder Open(string path, string parameter)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (File.Exists(full) && full.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            // A bare UNet file, as distilled checkpoints (DMD2, Lightning) are often shared.
            return new ModelFolder(System.IO.Path.GetDirectoryName(full)!, full) { Name = System.IO.Path.GetFileNameWithoutExtension(full) };
        }
        if (File.Exists(full))
        {
            throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
                $"'{full}' ({Words(parameter)}) is a file but not an .onnx UNet. Pass a diffusers-ONNX folder " +
                "(model_index.json, unet/model.onnx, ...), a distilled UNet's .onnx file, or leave it out to use the built-in demo pair.", full);
        }
        if (!Directory.Exists(full))
        {
            throw new HybridDiffusionException(HybridErrorKind.ModelNotFound,
                $"Model folder '{full}' ({Words(parameter)}) does not exist. Pass a diffusers-ONNX folder " +
                "(model_index.json, unet/model.onnx, ...) or leave it out to use the built-in demo pair.", full);
        }
        var folder = new ModelFolder(full);
        folder.RejectUnsupportedFamily(parameter);
        if (!File.Exists(folder.UnetPath))
        {
            throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
                $"Model folder '{full}' ({Words(parameter)}) has no unet/model.onnx. Every model folder needs its UNet exported " +
                "to ONNX in the diffusers layout (for example with Optimum's onnx export).", folder.UnetPath);
        }
        folder.Name = folder.ReadDisplayName() ?? folder.Name;
        return folder;
    }

    /// <summary>The VAE's scaling_factor from vae_decoder/config.json (0.18215, SD 1/2's value, when absent).</summary>
    public double ReadVaeScalingFactor()
    {
        // Optimum writes the VAE's config beside each half; SD 1/2 use 0.18215, SDXL 0.13025.
        var config = Existing("vae_decoder", "config.json");
        if (config is null)
        {
            return 0.18215;
        }
        return ConfigJson.Load(config).Double("scaling_factor", "a number above 0 and below 1000 (SD 1/2: 0.18215, SDXL: 0.13025)", f => f > 0 && f < 1000) ?? 0.18215;
    }

    /// <summary>model_index.json's force_zeros_for_empty_prompt, or null when the folder does not say.</summary>
    public bool? ReadForceZerosForEmptyPrompt() => ReadIndex()?.Bool("force_zeros_for_empty_prompt");

    private string? ReadDisplayName() => ReadIndex()?.String("_name_or_path");

    private void RejectUnsupportedFamily(string parameter)
    {
        var className = ReadIndex()?.String("_class_name") ?? "";
        var family = s_unsupported.FirstOrDefault(f => className.StartsWith(f.Prefix, StringComparison.OrdinalIgnoreCase)).Family;
        var evidence = $"model_index.json names {className}";
        if (family is null && Directory.Exists(Combine("transformer")) && !Directory.Exists(Combine("unet")))
        {
            (family, evidence) = ("diffusion-transformer (DiT)", "it has transformer/ instead of unet/");
        }
        if (family is not null)
        {
            throw new HybridDiffusionException(HybridErrorKind.UnsupportedModel,
                $"Model folder '{FullPath}' ({Words(parameter)}) is a {family} model ({evidence}). Supported: {SupportedFamilies}.", FullPath);
        }
    }

    private ConfigJson? ReadIndex()
    {
        var index = IsUNetOnly ? null : Existing("model_index.json");
        return index is null ? null : ConfigJson.Load(index);
    }

    // "BaseModel" -> "base model": errors describe the role, each face names its own option.
    private static string Words(string parameter) => string.Concat(parameter.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private string Combine(params string[] parts) => System.IO.Path.Combine(new[] { FullPath }.Concat(parts).ToArray());

    // A UNet-only file has no components of its own, whatever else sits in its folder.
    private string? Existing(params string[] parts)
    {
        var path = Combine(parts);
        return !IsUNetOnly && File.Exists(path) ? path : null;
    }
}
