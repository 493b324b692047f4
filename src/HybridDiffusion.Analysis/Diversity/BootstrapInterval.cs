namespace HybridDiffusion.Analysis.Diversity;

/// <summary>
/// Percentile bootstrap interval for the mean pairwise distance: images are resampled with replacement and the mean is
/// taken over pairs of distinct originals (a copy of an image paired with itself says nothing about diversity).
/// With counts w per image that mean is wᵀDw / ((Σw)² − Σw²), so each resample costs one matrix-vector product.
/// </summary>
internal static class BootstrapInterval
{
    public static (double Low, double High) MeanPairwise(DistanceMatrix matrix, int resamples, int seed, double level = 0.95)
    {
        int n = matrix.Count;
        if (n < 2)
        {
            throw new ArgumentException($"A bootstrap interval needs at least two images; got {n}.", nameof(matrix));
        }
        if (resamples < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(resamples), $"Resamples must be at least 1; got {resamples}.");
        }
        var random = new Random(seed);
        var weights = new double[n];
        var means = new double[resamples];
        for (int r = 0; r < resamples; r++)
        {
            double denominator;
            do
            {
                Array.Clear(weights);
                for (int k = 0; k < n; k++)
                {
                    weights[random.Next(n)] += 1;
                }
                denominator = (double)n * n - TensorPrimitives.Dot<double>(weights, weights);
            }
            while (denominator == 0);
            double numerator = 0;
            for (int i = 0; i < n; i++)
            {
                if (weights[i] != 0)
                {
                    numerator += weights[i] * TensorPrimitives.Dot(matrix.Row(i), weights);
                }
            }
            means[r] = numerator / denominator;
        }
        Array.Sort(means);
        double tail = (1 - level) / 2;
        return (Quantile(means, tail), Quantile(means, 1 - tail));
    }

    private static double Quantile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(sorted.Length - 1, below + 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
    }
}
