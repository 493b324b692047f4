namespace HybridDiffusion.Contracts.Sampling;

/// <summary>The recommended sampler settings of a distilled model family, applied to the distilled model's scheduler.</summary>
public enum DistilledPreset
{
    /// <summary>DMD2: LCM scheduler at timesteps 999, 749, 499, 249; no guidance.</summary>
    Dmd2,

    /// <summary>SDXL-Turbo / SD-Turbo: Euler ancestral, trailing spacing; no guidance.</summary>
    Turbo,

    /// <summary>SDXL-Lightning: Euler, trailing spacing; no guidance.</summary>
    Lightning,

    /// <summary>LCM (LCM-SDXL, LCM-LoRA): the LCM scheduler's own timesteps; no guidance.</summary>
    Lcm,
}
