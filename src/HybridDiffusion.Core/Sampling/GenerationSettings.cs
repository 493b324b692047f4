using HybridDiffusion.Contracts.Sampling;

namespace HybridDiffusion.Core.Sampling;

/// <summary>The sampling settings of a generation, shared by every prompt, seed and mode of a request.</summary>
public sealed record GenerationSettings
{
    /// <summary>Denoising steps; null takes the mode's default (50 for Base, 4 otherwise).</summary>
    public int? Steps { get; init; }

    /// <summary>How many leading steps the other model runs in Hybrid and Reverse modes (the paper's k; 1 is best).</summary>
    public int BaseSteps { get; init; } = 1;

    /// <summary>Classifier-free guidance of the distilled segments; values ≤ 1 run one conditional pass.</summary>
    public float Guidance { get; init; }

    /// <summary>Classifier-free guidance of the base segments (the paper's hybrid uses 0).</summary>
    public float BaseGuidance { get; init; }

    /// <summary>
    /// The unconditional prompt for guidance above 1. Null (none given) is encoded as "" by SD 1.5/2.x models and
    /// becomes zero conditioning for SDXL models (diffusers' force_zeros_for_empty_prompt); an explicit "" is encoded.
    /// </summary>
    public string? NegativePrompt { get; init; }

    /// <summary>An explicit plan for <see cref="GenerationMode.Plan"/>.</summary>
    public string? Plan { get; init; }

    /// <summary>Replaces every model's scheduler class (ddim, lcm, euler, euler-ancestral), keeping its noise schedule.</summary>
    public string? Scheduler { get; init; }

    /// <summary>A distilled family's recommended scheduler settings for the distilled model.</summary>
    public DistilledPreset? Preset { get; init; }

    public int Width { get; init; } = 128;

    public int Height { get; init; } = 128;
}
