namespace HybridDiffusion.Contracts.Sliders;

/// <summary>Which models of a pair a slider changes.</summary>
public enum SliderTarget
{
    Both,
    Base,
    Distilled,
}
