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

/// <summary>
/// How close the engine must come to diffusers on the reference cases (max abs difference, float32 on the CPU).
/// README.md of diffusers-reference measured text ~1e-6, one UNet step ~5e-6, a scheduler step ~4e-5, final latents
/// ~1e-4 and x̂0 under CFG 7.5 ~2e-4; the bounds leave a margin above those and above what the replay measures.
/// </summary>
public static class ReferenceTolerances
{
    public static double Of(ReferenceStageKind kind) => kind switch
    {
        ReferenceStageKind.Timesteps => 1e-3,
        ReferenceStageKind.Text => 1e-5,
        ReferenceStageKind.UNetOutput => 1e-4,
        ReferenceStageKind.AfterTruncatedTimestep => 1e-1,
        ReferenceStageKind.Latent => 5e-4,
        ReferenceStageKind.PredictedOriginal => 1e-3,
        ReferenceStageKind.Image => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Why a bound is what it is, for help text and reports.</summary>
    public static string Reason(ReferenceStageKind kind) => kind switch
    {
        ReferenceStageKind.Timesteps => "float32 rounding of fractional timesteps",
        ReferenceStageKind.Text => "text encoders agree to ~1e-6",
        ReferenceStageKind.UNetOutput => "one UNet run agrees to ~5e-6; later steps see latents that drifted by ~1e-5",
        ReferenceStageKind.AfterTruncatedTimestep =>
            "diffusers' torch UNet saw fractional timesteps (Euler, linspace); an int64 timestep input takes them truncated, " +
            "as Optimum's ONNX pipeline casts them: sd-euler-8 measures 6e-3 on the UNet output and 4e-2 on x̂0 (σ ≈ 7 amplifies)",
        ReferenceStageKind.Latent => "scheduler steps agree to ~4e-5, whole runs to ~1e-4",
        ReferenceStageKind.PredictedOriginal => "x̂0 divides by √ᾱ and CFG 7.5 amplifies (~2e-4 measured)",
        ReferenceStageKind.Image => "8-bit levels: rounding may flip one level",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
