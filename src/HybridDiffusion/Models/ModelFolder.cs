using System.Text.Json.Nodes;

namespace HybridDiffusion.Models;

/// <summary>
/// A diffusers-ONNX model folder (model_index.json, unet/, text_encoder/, vae_decoder/, tokenizer/, scheduler/).
/// Only unet/model.onnx is required: distilled variants often ship a UNet alone and share the rest.
/// </summary>
public sealed class ModelFolder
{
    private ModelFolder(string path)
    {
        FullPath = path;
        Name = System.IO.Path.GetFileName(path.TrimEnd(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar));
    }

    public string FullPath { get; }

    public string Name { get; private set; }

    public string UnetPath => Combine("unet", "model.onnx");

    public string? TextEncoderPath => Existing("text_encoder", "model.onnx");

    public string? VaeDecoderPath => Existing("vae_decoder", "model.onnx");

    public string? TokenizerDirectory => File.Exists(Combine("tokenizer", "vocab.json")) ? Combine("tokenizer") : null;

    public string? SchedulerConfigPath => Existing("scheduler", "scheduler_config.json");

    /// <summary>Opens and checks a folder; <paramref name="parameter"/> names the option it came from in errors.</summary>
    public static ModelFolder Open(string path, string parameter)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!Directory.Exists(full))
        {
            throw new HybridDiffusionException(HybridErrorKind.ModelNotFound,
                $"Model folder '{full}' ({parameter}) does not exist. Pass a diffusers-ONNX folder " +
                "(model_index.json, unet/model.onnx, ...) or leave it out to use the built-in demo pair.", full);
        }
        var folder = new ModelFolder(full);
        if (!File.Exists(folder.UnetPath))
        {
            throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
                $"Model folder '{full}' ({parameter}) has no unet/model.onnx. Every model folder needs its UNet exported " +
                "to ONNX in the diffusers layout (for example with Optimum's onnx export).", folder.UnetPath);
        }
        folder.Name = folder.ReadDisplayName() ?? folder.Name;
        return folder;
    }

    /// <summary>The VAE's scaling_factor from vae_decoder/config.json (0.18215, SD 1/2's value, when absent).</summary>
    public double ReadVaeScalingFactor()
    {
        var config = Existing("vae_decoder", "config.json");
        if (config is null)
        {
            return 0.18215;
        }
        var node = JsonNode.Parse(File.ReadAllText(config));
        return node?["scaling_factor"]?.GetValue<double>() ?? 0.18215;
    }

    private string? ReadDisplayName()
    {
        var index = Existing("model_index.json");
        if (index is null)
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(File.ReadAllText(index))?["_name_or_path"]?.GetValue<string>();
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new HybridDiffusionException(HybridErrorKind.InvalidModel, $"'{index}' is not valid JSON: {ex.Message}", index, ex);
        }
    }

    private string Combine(params string[] parts) => System.IO.Path.Combine(new[] { FullPath }.Concat(parts).ToArray());

    private string? Existing(params string[] parts)
    {
        var path = Combine(parts);
        return File.Exists(path) ? path : null;
    }
}
