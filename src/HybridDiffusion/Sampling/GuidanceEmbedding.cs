namespace HybridDiffusion.Sampling;

/// <summary>
/// The guidance-scale embedding LCM exports take as timestep_cond (diffusers' get_guidance_scale_embedding): for
/// w = guidance − 1 (guidance below 1 counts as 1), v_k = 1000·w·exp(−k·ln(10000)/(d/2 − 1)), then [sin v, cos v].
/// </summary>
public static class GuidanceEmbedding
{
    public static void Write(float guidance, Span<float> destination)
    {
        int half = destination.Length / 2;
        double w = (Math.Max(guidance, 1f) - 1) * 1000.0;
        double step = half > 1 ? Math.Log(10000) / (half - 1) : 0;
        destination.Clear();
        for (int k = 0; k < half; k++)
        {
            double value = w * Math.Exp(-k * step);
            destination[k] = (float)Math.Sin(value);
            destination[half + k] = (float)Math.Cos(value);
        }
    }
}
