using HybridDiffusion.Contracts.Diversity;

namespace HybridDiffusion.Analysis.Diversity;

/// <summary>
/// The Vendi score: exp(−Σ λᵢ log λᵢ) over the eigenvalues λ of K/n, K a similarity matrix with k(x, x) = 1.
/// It reads as an effective number of distinct samples: 1 when all are alike, n when all are unrelated.
/// </summary>
internal static class VendiScore
{
    public static double FromSimilarity(double[,] similarity)
    {
        int n = similarity.GetLength(0);
        if (n == 0)
        {
            throw new ArgumentException("The Vendi score needs at least one sample.", nameof(similarity));
        }
        var eigenvalues = SymmetricEigen.Eigenvalues(similarity);
        // Kernels that are not positive semi-definite (SSIM, 1 − distance) can give small negative eigenvalues: drop them.
        double sum = eigenvalues.Where(v => v > 0).Sum();
        double entropy = 0;
        foreach (var value in eigenvalues)
        {
            if (value > 0)
            {
                double lambda = value / sum;
                entropy -= lambda * Math.Log(lambda);
            }
        }
        return Math.Exp(entropy);
    }

    /// <summary>Uses k = 1 − d: cosine similarity for embeddings, SSIM for the SSIM metrics, 1 − RMS for pixels.</summary>
    public static double FromDistances(DistanceMatrix distances)
    {
        int n = distances.Count;
        var similarity = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                similarity[i, j] = 1 - distances[i, j];
            }
        }
        return FromSimilarity(similarity);
    }
}
