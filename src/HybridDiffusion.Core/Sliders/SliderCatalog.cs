using HybridDiffusion.Contracts.Sliders;

namespace HybridDiffusion.Core.Sliders;

/// <summary>
/// Checks sliders before any model loads (finite strength, an existing file, a start timestep in range) and builds
/// <see cref="HybridModel"/>s, whose sliders must also hold UNet keys.
/// </summary>
public static class SliderCatalog
{
    public static HybridModel Add(HybridModel model, SliderSpec slider, bool strict)
    {
        Validate(new[] { slider });
        var file = LoraFile.Load(slider.Path);
        if (file.Modules.Count == 0)
        {
            throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
                $"'{file.Path}' holds no UNet low-rank pairs (lora_down/lora_up or lora_A/lora_B); its keys include {string.Join(", ", file.OtherKeys.Take(5))}.",
                file.Path);
        }
        return model with { Sliders = model.Sliders.Append(slider).ToArray(), StrictSliders = model.StrictSliders || strict };
    }

    /// <summary>Checks a request's sliders before any model loads: files exist, strengths are finite.</summary>
    public static void Validate(IReadOnlyList<SliderSpec> sliders)
    {
        foreach (var slider in sliders)
        {
            if (!float.IsFinite(slider.Strength))
            {
                throw HybridDiffusionException.Argument(SettingId.SliderStrength, $"Slider strength must be a finite number; got {slider.Strength} for '{slider.Path}'.");
            }
            if (Directory.Exists(slider.Path))
            {
                throw new HybridDiffusionException(HybridErrorKind.ModelNotFound,
                    $"Slider file '{Path.GetFullPath(slider.Path)}' is a folder; give the .safetensors file inside it.", slider.Path);
            }
            if (!File.Exists(slider.Path))
            {
                throw new HybridDiffusionException(HybridErrorKind.ModelNotFound, $"Slider file '{Path.GetFullPath(slider.Path)}' does not exist.", slider.Path);
            }
            if (slider.StartAtTimestep is < 0 or > 999)
            {
                throw HybridDiffusionException.Argument(SettingId.SliderStart, $"A slider's start timestep must be between 0 and 999; got {slider.StartAtTimestep} for '{slider.Path}'.");
            }
        }
    }
}
