using HybridDiffusion.Contracts.Scheduling;

namespace HybridDiffusion.Core.Sampling;

/// <summary>
/// What a transition probe's result depends on: the prompt, the settings that shape the hybrid's steps and guidance,
/// the model files (and sliders on them), the size and the noise source. The diversity methods (CADS, conditioning
/// noise) are left out: the probe measures where the models commit, not what a method adds.
/// </summary>
internal readonly record struct TransitionKey(string Prompt, string NegativePrompt, bool HasNegativePrompt, int Steps, float Guidance,
    float BaseGuidance, string Scheduler, string Preset, string GuidanceInterval, string BaseUnet, string DistilledUnet, string Sliders,
    int Width, int Height, NoiseKind Noise)
{
    public static TransitionKey Of(string prompt, GenerationRequest request, int steps, string baseUnet, string distilledUnet)
    {
        var settings = request.Settings;
        return new TransitionKey(prompt, settings.NegativePrompt ?? "", settings.NegativePrompt is not null, steps, settings.Guidance,
            settings.BaseGuidance, settings.Scheduler ?? "", settings.Preset?.ToString() ?? "", settings.GuidanceInterval?.ToString() ?? "",
            baseUnet, distilledUnet, string.Join(";", request.Sliders.Select(s => $"{s.Path}|{s}")), settings.Width, settings.Height, request.NoiseSource);
    }
}
