namespace HybridDiffusion.Core.Scheduling;

/// <summary>How a scheduler scales the latent it carries between steps.</summary>
public enum LatentSpace
{
    /// <summary>x_t = √ᾱ·x0 + √(1−ᾱ)·ε (DDIM, LCM).</summary>
    VariancePreserving,

    /// <summary>x = x0 + σ·ε with σ = √((1−ᾱ)/ᾱ), i.e. the VP latent divided by √ᾱ (Euler family).</summary>
    SigmaScaled,
}

/// <summary>Hands a latent from one scheduler to another at a timestep, converting between latent spaces.</summary>
internal static class LatentSpaces
{
    /// <summary>Rescales <paramref name="latent"/> (at noise level <paramref name="timestep"/>) from one scheduler's space to another's.</summary>
    public static void Convert(IDiffusionScheduler from, IDiffusionScheduler to, double timestep, Span<float> latent)
    {
        if (from.Space == to.Space)
        {
            return;
        }
        // σ-scaled = VP / √ᾱ, so VP → σ multiplies by 1/√ᾱ = √(σ²+1) and σ → VP by √ᾱ.
        double rootAlpha = Math.Sqrt(from.Noise.AlphaCumprodAt(timestep));
        float factor = (float)(to.Space == LatentSpace.SigmaScaled ? 1 / rootAlpha : rootAlpha);
        TensorPrimitives.Multiply(latent, factor, latent);
    }
}
