namespace HybridDiffusion.Contracts.Sliders;

/// <summary>How far a slider strength moves images from strength 0, on the base and on the distilled model (same seeds).</summary>
/// <param name="Ratio">Distilled ÷ base movement: near 1 when the slider transfers unchanged.</param>
public sealed record SliderTransferRow(float Strength, double BaseDistance, double DistilledDistance, double? Ratio);
