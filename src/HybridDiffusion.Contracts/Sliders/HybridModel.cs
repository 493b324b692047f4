namespace HybridDiffusion.Contracts.Sliders;

/// <summary>
/// A base/distilled model pair with the sliders applied to it, as Add-ConceptSlider returns it. Null folders mean the
/// built-in demo pair.
/// </summary>
public sealed record HybridModel(string? BaseModel, string? DistilledModel, IReadOnlyList<SliderSpec> Sliders, bool StrictSliders = false)
{
    public override string ToString() =>
        $"{BaseModel ?? "demo base"} + {DistilledModel ?? "demo distilled"}{(Sliders.Count == 0 ? "" : " with " + string.Join(", ", Sliders))}";
}
