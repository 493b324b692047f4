using HybridDiffusion.Contracts.Sampling;
using HybridDiffusion.Contracts.Sliders;

namespace HybridDiffusion.Contracts.Requests;

/// <summary>One expanded setting: a mode with its generation settings, named from the values its sweep gave it.</summary>
/// <param name="Family">The name written in the study file; the expanded settings of one sweep share it.</param>
/// <param name="Swept">The swept keys (as spelled in the file) and the value this setting took, in file order.</param>
/// <param name="Sliders">Slider or LoRA files applied to this setting's images, each at its strength.</param>
public sealed record StudySetting(string Name, string Family, GenerationMode Mode, GenerationSettings Settings,
    IReadOnlyList<KeyValuePair<string, double>> Swept, IReadOnlyList<SliderSpec> Sliders);
