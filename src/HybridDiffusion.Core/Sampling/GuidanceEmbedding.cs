namespace HybridDiffusion.Core.Sampling;

/// <summary>
/// The guidance-scale embedding LCM exports take as timestep_cond (diffusers' get_guidance_scale_embedding) for
/// w = guidance − 1, not clamped (guidance below 1 gives a negative w, as in diffusers' LCM pipelines):
/// v_k = 1000·w·exp(−k·ln(10000)/(d/2 − 1)), then [sin v, cos v]. Each factor is rounded to float32 as torch computes it,
/// because v reaches 1000·w and an error of one double-vs-float rounding there moves sin and cos by 1e-4.
/// </summary>
internal static class GuidanceEmbedding
{
    public static void Write(float guidance, Span<float> destination)
    {
        int half = destination.Length / 2;
        float w = (guidance - 1f) * 1000f;
        float step = half > 1 ? MathF.Log(10000f) / (half - 1) : 0f;
        destination.Clear();
        for (int k = 0; k < half; k++)
        {
            float frequency = MathF.Exp(k * -step);
            float value = w * frequency;
            destination[k] = MathF.Sin(value);
            destination[half + k] = MathF.Cos(value);
        }
    }
}
