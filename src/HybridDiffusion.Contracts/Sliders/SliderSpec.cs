namespace HybridDiffusion.Contracts.Sliders;

/// <summary>
/// A slider or LoRA file applied at a strength: ΔW = strength·(alpha/rank)·up·down is added to the matching UNet
/// weights. With <see cref="StartAtTimestep"/>, steps above that timestep run the unchanged UNet.
/// </summary>
public sealed record SliderSpec(string Path, float Strength, SliderTarget Target = SliderTarget.Both, int? StartAtTimestep = null)
{
    public override string ToString() => FormattableString.Invariant(
        $"{System.IO.Path.GetFileName(Path)}@{Strength:0.###}{(Target == SliderTarget.Both ? "" : " " + Target.ToString().ToLowerInvariant())}{(StartAtTimestep is int t ? $" t≤{t}" : "")}");
}
