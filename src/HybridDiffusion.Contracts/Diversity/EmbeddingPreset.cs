namespace HybridDiffusion.Contracts.Diversity;

/// <summary>Input conventions of common image-embedding families.</summary>
public enum EmbeddingPreset
{
    /// <summary>224×224 bicubic resize without crop, values in [0, 1]: a DreamSim export normalises per branch inside.</summary>
    DreamSim,

    /// <summary>Shorter side to 224 (bicubic), centre crop 224, CLIP mean/std.</summary>
    Clip,

    /// <summary>Shorter side to 256 (bicubic), centre crop 224, ImageNet mean/std.</summary>
    Dino,
}
