using HybridDiffusion.Analysis.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace HybridDiffusion.Analysis.Diversity.Distribution;

/// <summary>
/// The Fréchet distance between two Gaussians fitted to feature sets (FID when the features are Inception pool3):
/// ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2(Σ₁Σ₂)^½).
/// </summary>
/// <remarks>
/// The trace of the square root is taken without ever forming (Σ₁Σ₂)^½, whose naive computation (scipy's sqrtm of a
/// non-symmetric product) returns complex or NaN values when the product is near singular: with Σ₁ = VΛVᵀ, the
/// eigenvalues of Σ₁Σ₂ are those of the symmetric positive semi-definite A = Λ^½(VᵀΣ₂V)Λ^½ (A is Σ₁^½Σ₂Σ₁^½ in
/// Σ₁'s eigenbasis), so Tr((Σ₁Σ₂)^½) = Σ √max(0, eig A). Rounding can only push an eigenvalue of Σ₁ or of A slightly
/// negative, and those are clamped to 0. Σ₁'s decomposition is MathNet.Numerics' symmetric EVD because its
/// eigenvectors are needed; A's is <see cref="SymmetricSpectrum"/> because only its eigenvalues are, which that solver
/// finds several times faster (see its remarks).
/// </remarks>
public static class FrechetDistance
{
    /// <summary>
    /// FID between a generated set and a reference set. Both need more vectors than features: with fewer, a sample
    /// covariance is singular (its rank is at most count − 1) and the distance says more about the count than the images.
    /// </summary>
    public static double Between(FeatureStatistics generated, FeatureStatistics reference)
    {
        generated.RequireConsistent("generated");
        reference.RequireConsistent("reference");
        if (generated.Dimension != reference.Dimension)
        {
            throw new HybridDiffusionException(HybridErrorKind.InvalidArgument,
                $"The generated features have {generated.Dimension} values and the reference features {reference.Dimension}: " +
                "they come from different embedding models. Embed both sets with one model.");
        }
        RequireFullRank(generated, "generated");
        RequireFullRank(reference, "reference");
        return FromMoments(generated.Mean, generated.Covariance, reference.Mean, reference.Covariance);
    }

    /// <summary>The distance from the moments themselves (row-major symmetric covariances), whatever their rank.</summary>
    internal static double FromMoments(double[] mean1, double[] covariance1, double[] mean2, double[] covariance2)
    {
        int d = mean1.Length;
        var difference = new double[d];
        TensorPrimitives.Subtract<double>(mean1, mean2, difference);
        double meanTerm = TensorPrimitives.Dot<double>(difference, difference);
        double traces = 0;
        for (int i = 0; i < d; i++)
        {
            traces += covariance1[(long)i * d + i] + covariance2[(long)i * d + i];
        }
        // A squared distance: rounding may leave identical sets a hair below zero.
        return Math.Max(0, meanTerm + traces - 2 * TraceOfSquareRootProduct(covariance1, covariance2, d));
    }

    /// <summary>Tr((Σ₁Σ₂)^½) for symmetric positive semi-definite Σ₁, Σ₂ (see the remarks above).</summary>
    internal static double TraceOfSquareRootProduct(double[] covariance1, double[] covariance2, int d)
    {
        var evd = Matrix<double>.Build.Dense(d, d, (double[])covariance1.Clone()).Evd(Symmetricity.Symmetric);
        // Column-major storage of V is row-major Vᵀ: row i is the i-th eigenvector (read in place: a copy is 32 MB at 2048 features).
        var eigenvectors = evd.EigenVectors is DenseMatrix dense ? dense.Values : evd.EigenVectors.ToColumnMajorArray();
        var roots = SquareRoots(evd.EigenValues.Select(value => value.Real).ToArray(), d);
        // (VᵀΣ₂)ᵀ's rows against Vᵀ's: Σ₂ is symmetric, so VᵀΣ₂'s row j is Σ₂'s rows dotted with eigenvector j.
        var projected = RowProducts.Multiply(eigenvectors, d, covariance2, d, d);
        var a = RowProducts.Multiply(eigenvectors, d, projected, d, d);
        for (int i = 0; i < d; i++)
        {
            for (int j = i; j < d; j++)
            {
                // Averaged with its mirror: the products are symmetric only up to rounding, and the solver wants an exactly symmetric matrix.
                double value = roots[i] * roots[j] * 0.5 * (a[(long)i * d + j] + a[(long)j * d + i]);
                a[(long)i * d + j] = a[(long)j * d + i] = value;
            }
        }
        return SquareRoots(SymmetricSpectrum.Eigenvalues(a, d), d).Sum();
    }

    /// <summary>
    /// √λ of each eigenvalue, with those within rounding of zero (|λ| up to d·ε of the largest, where a decomposition
    /// leaves the zeros of a singular matrix as tiny values of either sign) and negative ones taken as 0: the square root
    /// would otherwise turn a rounding error of 10⁻¹⁶ into one of 10⁻⁸.
    /// </summary>
    private static double[] SquareRoots(double[] eigenvalues, int d)
    {
        double rounding = eigenvalues.Select(Math.Abs).DefaultIfEmpty(0).Max() * d * SymmetricSpectrum.UnitRoundoff;
        return eigenvalues.Select(value => value > rounding ? Math.Sqrt(value) : 0).ToArray();
    }

    private static void RequireFullRank(FeatureStatistics statistics, string what)
    {
        if (statistics.Count <= statistics.Dimension)
        {
            throw new HybridDiffusionException(HybridErrorKind.InvalidArgument,
                $"FID needs more images than features: the {what} set has {statistics.Count} images of {statistics.Dimension} features, " +
                $"so its covariance is singular (rank at most {statistics.Count - 1}) and the distance would measure the image count, not the images. " +
                $"Use at least {statistics.Dimension + 1} images (10,000 or more is customary for 2048-feature Inception embeddings), " +
                "or KID, which needs no covariance.");
        }
    }
}
