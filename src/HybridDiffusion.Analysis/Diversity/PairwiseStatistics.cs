namespace HybridDiffusion.Analysis.Diversity;

/// <summary>Summary of a distance matrix's upper triangle: mean, sample standard deviation and the closest pair.</summary>
internal sealed record PairwiseStatistics(double Mean, double StandardDeviation, int ClosestI, int ClosestJ, double ClosestDistance)
{
    public static PairwiseStatistics Of(DistanceMatrix matrix)
    {
        if (matrix.Count < 2)
        {
            throw new ArgumentException($"Pairwise statistics need at least two images; got {matrix.Count}.", nameof(matrix));
        }
        double sum = 0, sumSquares = 0;
        (int I, int J, double D) closest = (0, 1, double.PositiveInfinity);
        foreach (var (i, j, d) in matrix.Pairs())
        {
            sum += d;
            sumSquares += d * d;
            if (d < closest.D)
            {
                closest = (i, j, d);
            }
        }
        long pairs = matrix.PairCount;
        double mean = sum / pairs;
        double variance = pairs > 1 ? Math.Max(0, (sumSquares - pairs * mean * mean) / (pairs - 1)) : 0;
        return new PairwiseStatistics(mean, Math.Sqrt(variance), closest.I, closest.J, closest.D);
    }
}
