namespace HybridDiffusion.Core.Parity;

/// <summary>A kind of figure a replay compares, with the bound it must stay within.</summary>
public enum ReferenceStageKind
{
    /// <summary>The engine's timesteps against the case's.</summary>
    Timesteps,

    /// <summary>Text conditioning: encoder_hidden_states, SDXL's text_embeds and time_ids, LCM's timestep_cond.</summary>
    Text,

    /// <summary>A step's raw UNet output (after the latents it was fed have drifted by the steps before).</summary>
    UNetOutput,

    /// <summary>
    /// UNet output, latent or x̂0 from the first step on where an int64 timestep input was fed a fractional timestep:
    /// the export takes it truncated, as Optimum's ONNX pipeline casts it, where diffusers' torch UNet saw the fraction.
    /// </summary>
    AfterTruncatedTimestep,

    /// <summary>The latent after a step.</summary>
    Latent,

    /// <summary>The x̂0 (LCM: boundary-scaled "denoised") a step predicted.</summary>
    PredictedOriginal,

    /// <summary>The decoded image, in 8-bit levels.</summary>
    Image,
}
