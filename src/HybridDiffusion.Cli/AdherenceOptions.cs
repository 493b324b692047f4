using HybridDiffusion.Contracts.Diversity;

namespace HybridDiffusion.Cli;

/// <summary>The arguments and options of `hybrid adherence`, and their mapping onto an <see cref="AdherenceRequest"/>.</summary>
internal sealed class AdherenceOptions
{
    private readonly Option<string?> _clipImage = new("--clip-image-model") { Description = "CLIP image model (.onnx, Optimum's vision model with projection: image_embeds)." };
    private readonly Option<string?> _clipText = new("--clip-text-model") { Description = "CLIP text model (.onnx, Optimum's text model with projection: text_embeds); vocab.json and merges.txt beside it." };
    private readonly Option<bool> _demo = new("--demo") { Description = "Judge demo images exactly: does each show a scene its prompt asks for (score 1 or 0)." };

    private readonly Option<string> _promptFrom = new("--prompt-from-metadata")
    {
        Description = "PNG text key that holds each image's prompt (images are grouped by it).",
        DefaultValueFactory = _ => AdherenceRequest.DefaultPromptProperty,
    };

    private readonly Option<double?> _minimum = new("--minimum-adherence")
    {
        Description = "Gate: fail when a prompt's mean adherence is below this (CLIP score 0-100; with --demo a fraction 0-1).",
    };

    /// <summary>The images, --junit, --json, --verbose and --provider.</summary>
    public ImageInputCliOptions Input { get; } = new("one JSON object per prompt, with every image's score.", "the CLIP models");

    public void AddTo(Command command)
    {
        command.Arguments.Add(Input.Images);
        foreach (var option in new Option[] { _clipImage, _clipText, _demo, _promptFrom, _minimum, Input.JUnit, Input.Json, Input.Verbose, Input.Provider })
        {
            command.Options.Add(option);
        }
    }

    public AdherenceRequest ToRequest(ParseResult result) => new()
    {
        ClipImage = result.GetValue(_clipImage) is string image
            ? new EmbeddingOptions { ModelPath = image, Preset = EmbeddingPreset.Clip, Provider = result.GetValue(Input.Provider) }
            : null,
        ClipTextModel = result.GetValue(_clipText),
        Demo = result.GetValue(_demo),
        PromptProperty = result.GetValue(_promptFrom)!,
        MinimumAdherence = result.GetValue(_minimum),
    };
}
