using HybridDiffusion.Analysis.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra;

namespace HybridDiffusion.Analysis.Diversity;

/// <summary>
/// The Vendi score: exp(−Σ λᵢ log λᵢ) over the eigenvalues λ of K/n, K a similarity matrix with k(x, x) = 1.
/// It reads as an effective number of distinct samples: 1 when all are alike, n when all are unrelated.
/// </summary>
/// <remarks>
/// The spectrum comes from <see cref="SymmetricSpectrum"/> (eigenvalues only, by bisection: it converges on any finite
/// symmetric matrix, however degenerate its spectrum). Two exact reductions keep the matrix small where the data allows:
/// identical samples are merged into one weighted sample (<see cref="DuplicateSamples"/>), and unit embeddings use the
/// d × d feature Gram matrix when d is below the count.
/// </remarks>
internal static class VendiScore
{
    /// <summary>From a similarity matrix as given (symmetric, finite); no samples are merged.</summary>
    public static double FromSimilarity(double[,] similarity)
    {
        int n = similarity.GetLength(0);
        if (n == 0 || similarity.GetLength(1) != n)
        {
            throw new ArgumentException($"The Vendi score needs a non-empty square similarity matrix; got {n}x{similarity.GetLength(1)}.", nameof(similarity));
        }
        var values = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                values[i * n + j] = similarity[i, j];
            }
        }
        return FromSpectrum(Eigenvalues(values, n));
    }

    /// <summary>
    /// Uses k = 1 − d: SSIM for the SSIM metrics, 1 − RMS for pixels. Samples whose rows of the matrix are identical
    /// (distance 0 to each other and the same distance to every other sample) are merged: m copies of one sample
    /// contribute the weighted matrix √m·K·√m, whose non-zero spectrum equals that of the full n × n one.
    /// </summary>
    public static double FromDistances(DistanceMatrix distances)
    {
        if (distances.Count == 0)
        {
            throw new ArgumentException("The Vendi score needs at least one sample.", nameof(distances));
        }
        var distinct = DuplicateSamples.Of(distances);
        int k = distinct.Count;
        var weighted = new double[(long)k * k];
        for (int a = 0; a < k; a++)
        {
            for (int b = 0; b < k; b++)
            {
                weighted[(long)a * k + b] = (1 - distances[distinct[a].Representative, distinct[b].Representative])
                    * Math.Sqrt((double)distinct[a].Copies * distinct[b].Copies);
            }
        }
        return FromSpectrum(Eigenvalues(weighted, k));
    }

    /// <summary>
    /// The cosine kernel of unit-length embeddings, K = XXᵀ: its non-zero spectrum is that of the d × d matrix XᵀX, so
    /// the decomposition is of whichever side is smaller (a 768-float embedding makes 5,000 samples a 768 × 768 problem).
    /// </summary>
    public static double FromUnitEmbeddings(IReadOnlyList<float[]> embeddings)
    {
        if (embeddings.Count == 0)
        {
            throw new ArgumentException("The Vendi score needs at least one sample.", nameof(embeddings));
        }
        int n = embeddings.Count, d = embeddings[0].Length;
        var features = Matrix<double>.Build.Dense(n, d, (i, j) => embeddings[i][j]);
        var gram = d < n ? features.TransposeThisAndMultiply(features) : features.TransposeAndMultiply(features);
        return FromSpectrum(Eigenvalues(gram.ToRowMajorArray(), gram.RowCount));
    }

    /// <summary>
    /// The score of a spectrum. Eigenvalues within rounding of zero (below n·ε of the largest, where a decomposition
    /// leaves the zeros of a low-rank kernel as tiny values of either sign, subnormal ones included) and negative ones
    /// (SSIM's kernel is not positive semi-definite) are clamped to 0; the rest are normalised to sum 1, so the result
    /// is a proper entropy: 1 ≤ score ≤ the number of eigenvalues kept.
    /// </summary>
    public static double FromSpectrum(IEnumerable<double> eigenvalues)
    {
        var values = eigenvalues.ToList();
        double largest = values.Count == 0 ? 0 : values.Max();
        if (!(largest > 0) || !double.IsFinite(largest))
        {
            throw new ArgumentException("The similarity matrix has no positive, finite eigenvalue; it is not a similarity matrix.", nameof(eigenvalues));
        }
        double rounding = largest * values.Count * SymmetricSpectrum.UnitRoundoff;
        var kept = values.Where(v => v > rounding).ToList();
        double sum = kept.Sum();
        double entropy = 0;
        foreach (var value in kept)
        {
            double lambda = value / sum;
            entropy -= lambda * Math.Log(lambda);
        }
        return Math.Clamp(Math.Exp(entropy), 1, kept.Count);
    }

    private static double[] Eigenvalues(double[] symmetric, int n)
    {
        int bad = Array.FindIndex(symmetric, v => !double.IsFinite(v));
        if (bad >= 0)
        {
            throw new ArgumentException($"The similarity matrix holds a value that is not a finite number at ({bad / n}, {bad % n}).", nameof(symmetric));
        }
        return SymmetricSpectrum.Eigenvalues(symmetric, n);
    }
}
