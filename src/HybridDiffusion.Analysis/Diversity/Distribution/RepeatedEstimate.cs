namespace HybridDiffusion.Analysis.Diversity.Distribution;

/// <summary>
/// A figure measured on several parts of the data (KID's subsets, the Inception Score's splits): the mean over the
/// parts and their standard deviation (population form, as torch-fidelity and the original Inception Score code report it).
/// </summary>
public sealed record RepeatedEstimate(double Mean, double StandardDeviation, int Parts, int PartSize)
{
    internal static RepeatedEstimate Of(IReadOnlyList<double> values, int partSize)
    {
        double mean = values.Average();
        double variance = values.Sum(v => (v - mean) * (v - mean)) / values.Count;
        return new RepeatedEstimate(mean, Math.Sqrt(variance), values.Count, partSize);
    }
}
