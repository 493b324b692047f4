using HybridDiffusion.Contracts.Adherence;

namespace HybridDiffusion.Contracts.Requests;

/// <summary>
/// What Measure-PromptAdherence and `hybrid adherence` ask for: the measure (a CLIP image + text ONNX pair, or the demo
/// pair's exact scene measure), where each image's prompt is read from, and the gate. The images are passed beside it.
/// </summary>
public sealed record AdherenceRequest
{
    /// <summary>The PNG text key (or generated image property) that holds each image's prompt by default.</summary>
    public const string DefaultPromptProperty = "Prompt";

    /// <summary>The CLIP image model with its input convention (the Clip preset unless told otherwise); null with <see cref="Demo"/>.</summary>
    public EmbeddingOptions? ClipImage { get; init; }

    /// <summary>The CLIP text model (Optimum's text_model export, with projection: its output text_embeds); its folder holds vocab.json and merges.txt.</summary>
    public string? ClipTextModel { get; init; }

    /// <summary>Judge with the demo pair's own measure instead of CLIP.</summary>
    public bool Demo { get; init; }

    /// <summary>The property that holds each image's prompt; images are grouped by it too.</summary>
    public string PromptProperty { get; init; } = DefaultPromptProperty;

    /// <summary>CI gate: a group whose mean adherence is below this fails (a CLIP score 0 to 100, or a fraction 0 to 1 for the demo measure).</summary>
    public double? MinimumAdherence { get; init; }

    public AdherenceMeasure Measure => Demo ? AdherenceMeasure.DemoScene : AdherenceMeasure.ClipScore;

    /// <summary>Checks every setting before any image or model is read.</summary>
    public void Validate()
    {
        bool clip = ClipImage is not null || ClipTextModel is not null;
        if (Demo && clip)
        {
            throw HybridDiffusionException.Argument(SettingId.Demo, "Choose one measure: the demo pair's, or a CLIP image and text model, not both.");
        }
        if (!Demo && ClipImage is null)
        {
            throw HybridDiffusionException.Argument(SettingId.ClipImageModel,
                "Name a CLIP image model (.onnx) and its text model, or measure demo images with the demo pair's own measure.");
        }
        if (!Demo && string.IsNullOrWhiteSpace(ClipTextModel))
        {
            throw HybridDiffusionException.Argument(SettingId.ClipTextModel, "Name the CLIP text model (.onnx) that belongs to the CLIP image model.");
        }
        ClipImage?.Validate();
        if (string.IsNullOrWhiteSpace(PromptProperty))
        {
            throw HybridDiffusionException.Argument(SettingId.PromptFromMetadata, "Name the metadata key that holds each image's prompt (Prompt by default).");
        }
        if (MinimumAdherence is double minimum && (!double.IsFinite(minimum) || minimum < 0 || minimum > (Demo ? 1 : 100)))
        {
            throw HybridDiffusionException.Argument(SettingId.MinimumAdherence,
                $"The minimum adherence must be between 0 and {(Demo ? "1 (a fraction of images on the prompt)" : "100 (a CLIP score)")}; got {minimum}.");
        }
    }
}
