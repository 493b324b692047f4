using HybridDiffusion.Contracts;
using HybridDiffusion.Contracts.Sliders;
using HybridDiffusion.Core.Models;

namespace HybridDiffusion.Core.Sliders;

/// <summary>Builds <see cref="HybridModel"/>s: checks a slider up front (finite strength, a readable file with UNet keys) and appends it.</summary>
public static class SliderCatalog
{
    public static HybridModel Add(HybridModel model, SliderSpec slider, bool strict)
    {
        SliderSet.Validate(new[] { slider });
        var file = LoraFile.Load(slider.Path);
        if (file.Modules.Count == 0)
        {
            throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
                $"'{file.Path}' holds no UNet low-rank pairs (lora_down/lora_up or lora_A/lora_B); its keys include {string.Join(", ", file.OtherKeys.Take(5))}.",
                file.Path);
        }
        return model with { Sliders = model.Sliders.Append(slider).ToArray(), StrictSliders = model.StrictSliders || strict };
    }
}
