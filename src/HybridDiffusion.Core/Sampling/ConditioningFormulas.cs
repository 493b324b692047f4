namespace HybridDiffusion.Core.Sampling;

/// <summary>
/// The two ways a segment can perturb a prompt embedding y with standard normal noise n, element by element in
/// double precision: condition annealing (CADS) and plain conditioning noise.
/// </summary>
internal static class ConditioningFormulas
{
    /// <summary>
    /// CADS (Sadat et al., ICLR 2024): ŷ = √γ·y + s·√(1−γ)·n, then ŷ rescaled to y's mean and standard deviation and
    /// mixed back, ψ·ŷ_rescaled + (1−ψ)·ŷ. A ŷ with no spread is left unrescaled, as the paper's code leaves a NaN.
    /// </summary>
    /// <param name="noiseThenResult">Holds n on entry and the perturbed embedding on return.</param>
    public static void Anneal(ReadOnlySpan<float> clean, Span<float> noiseThenResult, double gamma, double scale, double psi)
    {
        double keep = Math.Sqrt(gamma), spread = scale * Math.Sqrt(1 - gamma);
        for (int i = 0; i < clean.Length; i++)
        {
            noiseThenResult[i] = (float)(keep * clean[i] + spread * noiseThenResult[i]);
        }
        var (cleanMean, cleanStd) = MeanAndStd(clean);
        var (noisyMean, noisyStd) = MeanAndStd(noiseThenResult);
        if (psi == 0 || noisyStd == 0)
        {
            return;
        }
        // The n vs n−1 of the standard deviation cancels in the ratio, so torch.std's unbiased form gives the same.
        double ratio = cleanStd / noisyStd;
        for (int i = 0; i < clean.Length; i++)
        {
            double rescaled = (noiseThenResult[i] - noisyMean) * ratio + cleanMean;
            noiseThenResult[i] = (float)(psi * rescaled + (1 - psi) * noiseThenResult[i]);
        }
    }

    /// <summary>Conditioning noise ("seed variance"): ŷ = y + strength·n.</summary>
    /// <param name="noiseThenResult">Holds n on entry and the perturbed embedding on return.</param>
    public static void AddNoise(ReadOnlySpan<float> clean, Span<float> noiseThenResult, double strength)
    {
        for (int i = 0; i < clean.Length; i++)
        {
            noiseThenResult[i] = (float)(clean[i] + strength * noiseThenResult[i]);
        }
    }

    private static (double Mean, double Std) MeanAndStd(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (var v in values)
        {
            sum += v;
        }
        double mean = sum / values.Length, squares = 0;
        foreach (var v in values)
        {
            squares += (v - mean) * (v - mean);
        }
        return (mean, Math.Sqrt(squares / values.Length));
    }
}
