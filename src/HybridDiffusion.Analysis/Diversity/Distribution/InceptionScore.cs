namespace HybridDiffusion.Analysis.Diversity.Distribution;

/// <summary>
/// The Inception Score (Salimans et al. 2016) from a classifier's logits: exp(E_x KL(p(y|x) ‖ p(y))), high when each
/// image is confidently one class and the classes are spread over the set. Computed, as the original code does, on
/// consecutive equal splits (the remainder left out), and reported as the mean and standard deviation over them.
/// </summary>
public static class InceptionScore
{
    /// <summary>The customary number of splits.</summary>
    public const int DefaultSplits = 10;

    /// <param name="logits">One row of class logits per image (softmax is applied here).</param>
    public static RepeatedEstimate FromLogits(IReadOnlyList<float[]> logits, int splits = DefaultSplits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(splits, 1);
        if (logits.Count < splits)
        {
            throw new HybridDiffusionException(HybridErrorKind.InvalidArgument, logits.Count == 0
                ? "The set is empty: the Inception Score needs images."
                : $"The Inception Score splits the set into {splits} parts; {logits.Count} images are too few. Give at least {splits} images, or fewer splits.");
        }
        int classes = logits[0].Length;
        if (classes < 2 || logits.Any(row => row.Length != classes))
        {
            throw new HybridDiffusionException(HybridErrorKind.InvalidModel,
                $"A classifier for the Inception Score gives one row of at least two class logits per image; its rows have {string.Join(", ", logits.Select(r => r.Length).Distinct().Take(3))} values.");
        }
        var probabilities = logits.Select(Softmax).ToArray();
        int size = logits.Count / splits;
        var scores = new double[splits];
        for (int s = 0; s < splits; s++)
        {
            scores[s] = Score(probabilities.AsSpan(s * size, size), classes);
        }
        return RepeatedEstimate.Of(scores, size);
    }

    private static double Score(ReadOnlySpan<double[]> part, int classes)
    {
        var marginal = new double[classes];
        foreach (var p in part)
        {
            for (int c = 0; c < classes; c++)
            {
                marginal[c] += p[c] / part.Length;
            }
        }
        double divergence = 0;
        foreach (var p in part)
        {
            for (int c = 0; c < classes; c++)
            {
                // 0·log 0 = 0: a class the image gives no probability adds nothing.
                if (p[c] > 0)
                {
                    divergence += p[c] * Math.Log(p[c] / marginal[c]);
                }
            }
        }
        return Math.Exp(divergence / part.Length);
    }

    private static double[] Softmax(float[] logits)
    {
        if (!Array.TrueForAll(logits, float.IsFinite))
        {
            throw new HybridDiffusionException(HybridErrorKind.InvalidModel, "The classifier gave a logit that is not a finite number.");
        }
        // Shifted by the largest logit so exp never overflows.
        double largest = logits.Max();
        var p = logits.Select(l => Math.Exp(l - largest)).ToArray();
        double sum = p.Sum();
        for (int c = 0; c < p.Length; c++)
        {
            p[c] /= sum;
        }
        return p;
    }
}
